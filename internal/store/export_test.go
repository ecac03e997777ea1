package store

import "context"

// TxBegun tells whether ctx's transaction has begun (a lazy one begins at its first statement).
func TxBegun(ctx context.Context) bool {
	t, ok := ctx.Value(txKey{}).(*txState)
	return ok && t.tx != nil
}

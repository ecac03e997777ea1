package portal_test

import (
	"context"
	"testing"

	"qijian/notify"
)

func deliver(t *testing.T, e *env, id uint64) {
	t.Helper()
	err := e.st.WithTx(context.Background(), func(ctx context.Context) error {
		row, ok, err := e.st.ClaimOutbox(ctx, id, e.clk.Now())
		if err != nil || !ok {
			return err
		}
		return notify.Deliver(ctx, e.st, row, e.clk.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
}

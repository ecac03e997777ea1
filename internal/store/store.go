// Package store opens the database (embedded SQLite or PostgreSQL) and carries transactions in
// the context, so a use case can span several repositories in one commit.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"qijian/internal/errs"
	"qijian/internal/store/pgbulk"
)

// ErrNotFound is what every repository returns, wrapped, when a row does not exist: the shared
// kind, which the web layer maps to 404 in one place.
var ErrNotFound = errs.NotFound

// ErrConflict marks a unique-constraint clash (a credit code or username already taken).
var ErrConflict = errs.Conflict

// Store is the database handle.
type Store struct {
	db        *gorm.DB
	Dialect   string // "sqlite" or "postgres"
	auditKick chan struct{}
	schemas   sync.Map // gorm's parsed model schemas, for the registries below
	// buffered is every model whose rows may be buffered, checked at Open (bufferedModels)
	buffered  map[reflect.Type]*schema.Schema
	bulk      pgbulk.Builder // the commit-time INSERT (PostgreSQL), its shapes kept
	caches    *cacheRegistry // which caches read which tables (cacheSources)
	cache     tableCache
	sessions  sessionCache
	signIn    *signInQuery
	sequences sync.Map // table → the sequence of its ids (PostgreSQL), for ReserveIDs
	ids       idPool   // ids taken ahead for ReserveIDs (PostgreSQL)
	// outboxCommitted, if set, is told after every commit that wrote outbox rows (it wakes the
	// relay of a process that runs one), so no caller has to remember to.
	outboxCommitted atomic.Pointer[func()]
	// strict mode (SetStrict) and what it caught
	strict     atomic.Bool
	strictMu   sync.Mutex
	strictErrs []error
	opts       Options // the pool and the statements' bounds (OpenWith)
}

// OnOutboxCommit sets f to run after every commit that wrote outbox rows, and after an outbox
// row written outside a transaction.
func (s *Store) OnOutboxCommit(f func()) { s.outboxCommitted.Store(&f) }

func (s *Store) outboxWritten() {
	if f := s.outboxCommitted.Load(); f != nil && *f != nil {
		(*f)()
	}
}

type txKey struct{}

// Open connects to PostgreSQL when databaseURL is set, else to the SQLite file at sqlitePath,
// with the default Options. It refuses to start if a buffered model has a gorm tag or hook the
// commit-time INSERT does not honour (bufferedModels), naming the model and the field.
func Open(ctx context.Context, databaseURL, sqlitePath string) (*Store, error) {
	return OpenWith(ctx, databaseURL, sqlitePath, Options{})
}

// Options size the pool and bound how long a statement may wait on the database: a request
// that cannot get its lock or its answer in time fails as unavailable (503, Retry-After)
// instead of hanging past its client's patience. Zero fields take DefaultOptions("")'s.
type Options struct {
	// MaxConns caps open connections; MaxIdle of them are kept when idle, each for IdleTime.
	MaxConns, MaxIdle int
	IdleTime          time.Duration
	// StatementTimeout and LockTimeout are PostgreSQL's statement_timeout and lock_timeout for
	// every connection (a URL that sets them keeps its own); negative means none.
	StatementTimeout, LockTimeout time.Duration
	// BusyTimeout is how long SQLite waits for the write lock.
	BusyTimeout time.Duration
	// ReadOnly opens the database refusing every write (PostgreSQL's
	// default_transaction_read_only, SQLite's query_only): for a process that only reads, and
	// for tests of a database that cannot write.
	ReadOnly bool
}

// DefaultOptions are the defaults for a kind of process. A web process keeps a small pool and
// short bounds (a request waits seconds, not its client's 30); a worker one connection for each
// of its concurrent users and longer statements (pruning, sweeps); serve (web and worker in one) the web's bounds with both's
// connections; the one-shot
// commands (migrate, demo, audit) no statement bound at all. Size MaxConns so that the sum over
// every process stays under the server's max_connections with room for operators (README).
func DefaultOptions(kind string) Options {
	o := Options{MaxConns: 10, MaxIdle: 5, IdleTime: time.Minute, StatementTimeout: 10 * time.Second, LockTimeout: 3 * time.Second, BusyTimeout: 5 * time.Second}
	switch kind {
	case "serve": // the web's bounds, and room for the worker inside it
		o.MaxConns = 20
	case "worker":
		// its ten task handlers, the relay and the audit chainer each hold one at a time
		o.MaxConns, o.MaxIdle, o.StatementTimeout, o.LockTimeout = 12, 4, 60*time.Second, 10*time.Second
	case "migrate", "demo", "audit":
		o.MaxConns, o.MaxIdle, o.StatementTimeout, o.LockTimeout, o.BusyTimeout = 4, 1, -1, -1, 30*time.Second
	}
	return o
}

// or fills o's zero fields from d.
func (o Options) or(d Options) Options {
	if o.MaxConns == 0 {
		o.MaxConns = d.MaxConns
	}
	if o.MaxIdle == 0 {
		o.MaxIdle = min(d.MaxIdle, o.MaxConns)
	}
	if o.IdleTime == 0 {
		o.IdleTime = d.IdleTime
	}
	if o.StatementTimeout == 0 {
		o.StatementTimeout = d.StatementTimeout
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = d.LockTimeout
	}
	if o.BusyTimeout == 0 {
		o.BusyTimeout = d.BusyTimeout
	}
	return o
}

// OpenWith is Open with the pool's size and the statements' bounds of o.
func OpenWith(ctx context.Context, databaseURL, sqlitePath string, o Options) (*Store, error) {
	o = o.or(DefaultOptions(""))
	cfg := &gorm.Config{Logger: logger.Discard, TranslateError: true, NowFunc: func() time.Time { return time.Now().UTC() }}
	var (
		db      *gorm.DB
		err     error
		dialect string
	)
	if databaseURL != "" {
		dialect = "postgres"
		db, err = gorm.Open(postgres.Open(withTimeouts(databaseURL, o)), cfg)
	} else {
		dialect = "sqlite"
		// WAL lets readers run beside the writer; immediate transactions take the write lock
		// up front so two writers queue on busy_timeout instead of failing on lock upgrade.
		dsn := fmt.Sprintf("file:%s?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(%d)&_pragma=synchronous(NORMAL)&_txlock=immediate",
			sqlitePath, o.BusyTimeout.Milliseconds())
		if o.ReadOnly {
			dsn += "&_pragma=query_only(1)"
		}
		db, err = gorm.Open(sqlite.Open(dsn), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{db: db, Dialect: dialect, auditKick: make(chan struct{}, 1), caches: newCacheRegistry(cacheSources), opts: o}
	if err := s.prepare(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	sqlDB.SetMaxOpenConns(o.MaxConns)
	sqlDB.SetMaxIdleConns(o.MaxIdle)
	sqlDB.SetConnMaxIdleTime(o.IdleTime)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: cannot reach %s: %w", dialect, err)
	}
	return s, nil
}

// withTimeouts adds o's statement_timeout and lock_timeout to a PostgreSQL URL as runtime
// parameters of every connection, unless the URL sets them itself.
func withTimeouts(raw string, o Options) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // the driver names the fault
	}
	q := u.Query()
	for k, d := range map[string]time.Duration{"statement_timeout": o.StatementTimeout, "lock_timeout": o.LockTimeout} {
		if q.Has(k) {
			continue
		}
		if d < 0 {
			d = 0 // none
		}
		q.Set(k, fmt.Sprint(d.Milliseconds()))
	}
	if o.ReadOnly {
		q.Set("default_transaction_read_only", "on")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Options are what the store was opened with.
func (s *Store) Options() Options { return s.opts }

func (s *Store) busyTimeout() time.Duration { return s.opts.BusyTimeout }

// prepare checks the buffered models, builds the sign-in query and registers the hooks that
// empty caches and (in strict mode) catch reads of buffered tables.
func (s *Store) prepare() error {
	var err error
	if s.buffered, err = bufferedSchemas(bufferedModels, &s.schemas, s.db.NamingStrategy); err != nil {
		return err
	}
	if s.signIn, err = newSignInQuery(&s.schemas, s.db.NamingStrategy); err != nil {
		return err
	}
	if err := s.watchWrites(); err != nil {
		return err
	}
	return s.watchBufferedReads()
}

// DB is the handle for ctx: the transaction it carries, or the pool.
func (s *Store) DB(ctx context.Context) *gorm.DB {
	if t, ok := ctx.Value(txKey{}).(*txState); ok {
		if t.tx == nil {
			t.tx = s.db.WithContext(ctx).Begin() // a lazy transaction's first statement
		}
		return t.tx.WithContext(ctx)
	}
	return s.db.WithContext(ctx)
}

// dbOutsideTx is for statements whose effect no rollback undoes (nextval, a catalog lookup): the
// transaction's connection if ctx's transaction has begun, else the pool, so that they do not
// begin a lazy transaction that would otherwise need no BEGIN.
func (s *Store) dbOutsideTx(ctx context.Context) *gorm.DB {
	if t, ok := ctx.Value(txKey{}).(*txState); ok && t.tx != nil {
		return t.tx.WithContext(ctx)
	}
	return s.db.WithContext(ctx)
}

// InTx tells whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*txState)
	return ok
}

// WithTx runs fn in a transaction carried by the context it passes; a nested call joins the
// outer transaction, so use cases compose.
func (s *Store) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		return fn(ctx)
	}
	var after []func(context.Context)
	var buf txBuffer
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tctx := txContext(ctx, &txState{tx: tx}, &after, &buf)
		if err := fn(tctx); err != nil {
			return err
		}
		return s.flush(tctx, &buf)
	})
	if err != nil {
		return err
	}
	s.committed(ctx, &buf, after)
	return nil
}

// committed runs a transaction's after-commit work: the relay's wake-up, then the hooks.
func (s *Store) committed(ctx context.Context, buf *txBuffer, after []func(context.Context)) {
	if buf.holds("outbox") {
		s.outboxWritten()
	}
	for _, f := range after {
		f(ctx)
	}
}

// txContext is ctx carrying a transaction, its after-commit hooks and its buffered rows.
func txContext(ctx context.Context, t *txState, after *[]func(context.Context), buf *txBuffer) context.Context {
	return context.WithValue(context.WithValue(context.WithValue(ctx, txKey{}, t), afterKey{}, after), outboxKey{}, buf)
}

// txState is the transaction a context carries; a lazy one (WithLazyTx) has none until its
// first statement.
type txState struct {
	tx *gorm.DB
}

// WithLazyTx is WithTx for work that mostly only writes: the transaction begins at fn's first
// statement, and if fn sends none (its reads answered by caches, its writes buffered), the
// buffered rows go as the one INSERT of the commit (flush), which is atomic by itself: one
// round trip instead of BEGIN, INSERT and COMMIT. On SQLite, whose commit writes a statement
// per table, it is WithTx.
func (s *Store) WithLazyTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if InTx(ctx) || s.Dialect != "postgres" {
		return s.WithTx(ctx, fn)
	}
	var after []func(context.Context)
	var buf txBuffer
	t := &txState{}
	tctx := txContext(ctx, t, &after, &buf)
	defer func() {
		if p := recover(); p != nil {
			if t.tx != nil {
				t.tx.Rollback()
			}
			panic(p)
		}
	}()
	if err := fn(tctx); err != nil {
		if t.tx != nil {
			t.tx.Rollback()
		}
		return err
	}
	if t.tx == nil {
		err = s.flushOn(ctx, s.db.WithContext(ctx), &buf) // no transaction was needed
	} else if err = s.flush(tctx, &buf); err == nil {
		err = mapErr("commit", t.tx.Commit().Error)
	}
	if err != nil {
		if t.tx != nil {
			t.tx.Rollback()
		}
		return err
	}
	s.committed(ctx, &buf, after)
	return nil
}

type afterKey struct{}

// AfterCommit runs f once ctx's transaction has committed, and never if it rolls back; outside a
// transaction it runs f at once. f gets a context outside the finished transaction. It is for
// effects that cannot be undone, such as sending mail: they must not happen for a change that
// did not stick.
func AfterCommit(ctx context.Context, f func(ctx context.Context)) {
	if list, ok := ctx.Value(afterKey{}).(*[]func(context.Context)); ok {
		*list = append(*list, f)
		return
	}
	f(ctx)
}

// Ping tells whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Gorm exposes the pool for migrations and tests.
func (s *Store) Gorm() *gorm.DB { return s.db }

// mapErr turns driver errors into the store's sentinel errors.
func mapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound), errors.Is(err, errNoRows):
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey), isUniqueViolation(err):
		return fmt.Errorf("store: %s: %w", op, ErrConflict)
	case Unavailable(err):
		return &errs.Error{Kind: errs.Unavailable, Code: "unavailable", Key: "err.unavailable", Err: fmt.Errorf("store: %s: %w", op, err)}
	default:
		return fmt.Errorf("store: %s: %w", op, err)
	}
}

// isUniqueViolation tells a PostgreSQL unique violation that did not pass through gorm's error
// translation (the commit-time INSERT goes to the driver directly).
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

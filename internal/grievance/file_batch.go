package grievance

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/idem"
	"qijian/internal/store"
)

// Group commit (File). Filings that arrive while earlier ones are being written wait and are then
// written together: one transaction, one INSERT for all their rows (on PostgreSQL), one commit
// (one WAL flush) for the lot. An idle portal writes each filing alone at once; a busy one trades
// a wait of at most one batch for far fewer round trips per filing. Each filing still commits
// with its reasons, event, deadlines, timers, audit entry and notifications, or not at all, and
// each caller learns its own outcome: one filing's bad reference fails that filing only.
//
// The writing is done by batch leaders: goroutines (leadBatches) that the first filing to find
// none running starts, which take up to maxBatch queued filings at a time, write them, wake their
// callers, and end when the queue is empty. Callers only queue and wait (submit).

// maxBatch bounds a batch: beyond it, statements grow without saving more round trips.
const maxBatch = 64

// filing is one caller's request, and its outcome once its batch has run.
type filing struct {
	ctx   context.Context
	by    account.Actor
	entID uint
	f     Filing
	key   string
	hash  string        // the filing's fingerprint, kept with its key (idem.Hash)
	done  chan struct{} // closed by the batch leader once the filing's batch has run

	// outcome
	order   *store.WorkOrder // created
	replay  uint64           // the order an earlier use of the key made
	err     error
	unit    uint    // routing's suggested unit, for the timeline
	sameKey *filing // an earlier filing in the batch with the same key
}

func (r *filing) reset() { r.order, r.replay, r.err, r.unit, r.sameKey = nil, 0, nil, 0, nil }

// batcher queues filings for the batch leaders that write them.
type batcher struct {
	mu      sync.Mutex
	queue   []*filing
	leaders int // batch leader goroutines running

	batches, filings atomic.Int64 // written so far, for the metrics and the load benchmark
	reclaims         atomic.Int64 // batches written again because a key was used before
}

// GroupCommits tells how many batches this service has written and how many filings they held.
func (s *Service) GroupCommits() (batches, filings int64) {
	return s.batch.batches.Load(), s.batch.filings.Load()
}

// leaders is how many batches may be in flight at once. SQLite writes one transaction at a
// time, so one; on PostgreSQL a second overlaps one batch's commit with the next one's statements.
func (s *Service) leaders() int {
	if s.St.Dialect == "postgres" {
		return 2 // measured with go run ./bench load: 1, 2 and 4 give the same peak; 2 the best tail
	}
	return 1
}

// secondBatchAt is how many filings must be waiting before another batch starts beside one in
// flight. A batch costs about as much again in fixed work (its statement's start, its commit, its
// round trips) as in work per filing, and a second leader that set off at the first arrival wrote
// batches of 4.3 filings at 16 clients; waiting for 4 made them 4.9 and the submissions 8% faster
// (go run ./bench load, three runs of each). Fewer waiting filings go with the running batch's
// leader, which takes them as soon as it is done.
const secondBatchAt = 4

// startLeader tells whether a filing just queued (queued now waiting) starts a leader of its own
// when running leaders are already writing, of at most max.
func startLeader(running, max, queued int) bool {
	return running == 0 || (running < max && queued >= secondBatchAt)
}

// submit queues r, starting a batch leader if none is running (or, on PostgreSQL, a second when
// enough wait), and waits until r's batch has run. The batch runs to completion whether or not
// the caller is still waiting: a filing, once taken, is never half-written.
func (s *Service) submit(r *filing) {
	r.done = make(chan struct{})
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, r)
	if startLeader(b.leaders, s.leaders(), len(b.queue)) {
		b.leaders++
		go s.leadBatches()
	}
	b.mu.Unlock()
	<-r.done
}

// leadBatches is a batch leader: it writes batches until the queue is empty, then ends.
func (s *Service) leadBatches() {
	b := &s.batch
	for {
		b.mu.Lock()
		if len(b.queue) == 0 {
			b.leaders--
			b.mu.Unlock()
			return
		}
		n := min(len(b.queue), maxBatch)
		batch := make([]*filing, n)
		copy(batch, b.queue)
		b.queue = append(b.queue[:0], b.queue[n:]...)
		b.mu.Unlock()
		s.runBatch(batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// batchTimeout bounds a batch's transaction: below the portal's request deadline (25 s), so its
// filers hear the outcome (a 503 at worst) before their own deadline, and far above the database's
// lock and statement bounds, which end a stalled batch first.
const batchTimeout = 20 * time.Second

// runBatch writes a batch in one transaction. If that fails for a reason other than the database
// being away, each filing is written alone, so that one filing's fault stays its own.
func (s *Service) runBatch(batch []*filing) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(batch[0].ctx), batchTimeout)
	defer cancel()
	s.batch.batches.Add(1)
	s.batch.filings.Add(int64(len(batch)))
	err := s.write(ctx, batch)
	if err == nil {
		return
	}
	for _, r := range batch {
		r.reset()
	}
	if len(batch) == 1 || store.Unavailable(err) {
		for _, r := range batch {
			r.err = err
		}
		return
	}
	for _, r := range batch {
		if err := s.write(r.ctx, []*filing{r}); err != nil {
			r.reset()
			r.err = err
		}
	}
}

// write runs fileAll for the filings in a transaction of their own. A panic (a bug) rolls it back
// and becomes its error: this runs in a batch leader goroutine, which no request handler's recover
// covers, and a crash would take every waiting filing with it.
func (s *Service) write(ctx context.Context, batch []*filing) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("complaint: file: panic: %v", p)
		}
	}()
	err = s.St.WithLazyTx(ctx, func(ctx context.Context) error { return s.fileAll(ctx, batch, false) })
	if errors.Is(err, store.ErrConflict) && hasKeys(batch) {
		// A key was used before (a client's retry), or is being used by a batch that committed
		// first: claim the keys first this time, which tells each filing the order its key stands for.
		s.batch.reclaims.Add(1)
		for _, r := range batch {
			r.reset()
		}
		err = s.St.WithLazyTx(ctx, func(ctx context.Context) error { return s.fileAll(ctx, batch, true) })
	}
	return err
}

func hasKeys(batch []*filing) bool {
	for _, r := range batch {
		if r.key != "" {
			return true
		}
	}
	return false
}

// fileAll writes the filings in ctx's transaction. A filing with a bad reference gets its error
// and is left out. Idempotency keys are expected to be new: they are written with the orders, in
// the commit's one INSERT, which fails with store.ErrConflict if one was not. With claimFirst
// they are claimed before anything is written, and a filing whose key was used before gets the
// earlier order.
func (s *Service) fileAll(ctx context.Context, batch []*filing, claimFirst bool) error {
	now := s.Clock.Now()
	var entIDs, bodyIDs []uint
	for _, r := range batch {
		if !ownCountyKnown(r) {
			entIDs = append(entIDs, r.entID)
		}
		if r.f.BodyID != 0 {
			bodyIDs = append(bodyIDs, r.f.BodyID)
		}
	}
	ents, err := s.St.EnterprisesByID(ctx, entIDs)
	if err != nil {
		return err
	}
	for _, r := range batch {
		if ownCountyKnown(r) {
			ents[r.entID] = &account.Enterprise{ID: r.entID, CountyCode: r.by.EnterpriseCounty}
		}
	}
	known, err := s.St.BodiesExist(ctx, bodyIDs)
	if err != nil {
		return err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return err
	}
	type userKey struct {
		user uint
		key  string
	}
	byKey := map[userKey]*filing{}
	var live []*filing
	for _, r := range batch {
		ent := ents[r.entID]
		switch {
		case ent == nil:
			r.err = fmt.Errorf("complaint: file: enterprise %d: %w", r.entID, store.ErrNotFound)
			continue
		case r.f.BodyID != 0 && !known[r.f.BodyID]:
			r.err = errs.Field("body_id", "err.invalid")
			continue
		}
		if r.key != "" {
			k := userKey{r.by.UserID, r.key}
			if first := byKey[k]; first != nil {
				if first.hash != r.hash {
					r.err = idem.ErrMismatch
				} else {
					r.sameKey = first
				}
				continue
			}
			byKey[k] = r
		}
		rt := lifecycle.Decide(rules, lifecycle.Type(r.f.Type), ent.CountyCode, r.f.BodyID)
		o := &store.WorkOrder{Type: r.f.Type, Description: strings.TrimSpace(r.f.Description), Status: string(lifecycle.Submitted),
			Channel: string(rt.Channel), CountyCode: ent.CountyCode, EnterpriseID: ent.ID, FiledByUserID: r.by.UserID, Source: string(sourceOf(r.by)), Anonymous: r.f.Anonymous, Urgent: r.f.Urgent,
			InspectionCode: strings.ToUpper(strings.TrimSpace(r.f.InspectionCode)), CreatedAt: now, UpdatedAt: now}
		if r.f.BodyID != 0 {
			b := r.f.BodyID
			o.BodyID = &b
		}
		if r.by.Role == account.RoleObserver {
			id, at := r.by.UserID, now
			o.ObserverID, o.ConsentAt = &id, &at
		}
		r.order, r.unit = o, rt.Unit
		live = append(live, r)
	}
	items := make([]newOrder, len(live))
	for i, r := range live {
		items[i] = newOrder{o: r.order, reasons: r.f.Reasons, filer: r.by.UserID, role: string(r.by.Role), unit: r.unit}
		if r.f.call != nil {
			items[i].taker = r.f.call.operator
		}
	}
	if err := s.plan(ctx, items, now); err != nil {
		return err
	}
	var keys []store.IdemKey
	for _, r := range live {
		if r.key != "" {
			keys = append(keys, store.IdemKey{UserID: r.by.UserID, Key: r.key, OrderID: r.order.ID, Hash: r.hash})
		}
	}
	if len(keys) > 0 && !claimFirst {
		if err := s.St.ClaimIdempotencyKeysLater(ctx, keys, now); err != nil {
			return err
		}
	} else if len(keys) > 0 {
		// Claimed before anything is written, so a key used before costs only its reserved ids.
		stands, err := s.St.ClaimIdempotencyKeys(ctx, keys, now)
		if err != nil {
			return err
		}
		kept := items[:0]
		for i, r := range live {
			if r.key != "" {
				if use := stands[store.IdemKey{UserID: r.by.UserID, Key: r.key, OrderID: r.order.ID, Hash: r.hash}]; use.OrderID != r.order.ID {
					r.order = nil
					if use.Hash != "" && use.Hash != r.hash {
						r.err = idem.ErrMismatch // the key was used for another filing
					} else {
						r.replay = use.OrderID
					}
					continue
				}
			}
			kept = append(kept, items[i])
		}
		items = kept
	}
	if err := s.create(ctx, items, now); err != nil {
		return err
	}
	for _, r := range batch {
		if first := r.sameKey; first != nil {
			switch {
			case first.order != nil:
				r.replay = first.order.ID
			case first.replay != 0:
				r.replay = first.replay
			default:
				r.err = first.err
			}
		}
	}
	return nil
}

// ownCountyKnown tells whether r is an enterprise's own filing whose county came with the session,
// so routing needs no read of the enterprise.
func ownCountyKnown(r *filing) bool {
	return r.by.Role == account.RoleEnterprise && r.entID == r.by.EnterpriseID && r.by.EnterpriseCounty != ""
}

// newOrder is an order about to be written and who opens it.
type newOrder struct {
	o       *store.WorkOrder
	reasons []string // the reasons it names (order_reasons)
	filer   uint     // 0: the system, for a clue the automatic checks raised
	role    string
	unit    uint
	ds      []store.Deadline // its first deadlines, from plan
	taker   string           // a phone order: the operator who took the call, by name
}

// plan works out each new order's first deadlines and next due time, and reserves ids for the
// orders and their deadlines in one query, so that create can write them all at once.
func (s *Service) plan(ctx context.Context, items []newOrder, now time.Time) error {
	if len(items) == 0 {
		return nil
	}
	p, err := s.policy(ctx)
	if err != nil {
		return err
	}
	nd := 0
	memo := map[lifecycle.Allowance][2]time.Time{}
	for i := range items {
		it := &items[i]
		it.ds = s.stageDeadlines(p, it.o, lifecycle.StagesOpenedBy(lifecycle.Status(it.o.Status)), now, 1, memo)
		for _, d := range it.ds {
			if it.o.NextDueAt == nil || d.DueAt.Before(*it.o.NextDueAt) {
				t := d.DueAt
				it.o.NextDueAt = &t
			}
		}
		nd += len(it.ds)
	}
	ids, err := s.St.ReserveIDs(ctx, store.IDWant{Table: "work_orders", N: len(items)}, store.IDWant{Table: "order_deadlines", N: nd})
	if err != nil {
		return err
	}
	k := 0
	for i := range items {
		it := &items[i]
		it.o.ID = ids[0][i]
		it.o.Number = store.OrderNumber(it.o.CreatedAt.Year(), it.o.ID)
		if it.o.Anonymous {
			it.o.Number = s.anonymousNumber(it.o.CreatedAt.Year(), it.o.ID) // nothing in sequence (ref.go)
		}
		for j := range it.ds {
			it.ds[j].ID, it.ds[j].OrderID = ids[1][k], it.o.ID
			k++
		}
	}
	return nil
}

// create writes planned orders in ctx's transaction with what every order starts with: its
// reasons, the submit event, the deadlines and their timers, the audit entry and the first
// notifications. All of it is buffered and goes to the database with the commit, one statement
// for the lot on PostgreSQL (a batch naming reasons adds a table to that statement, not a
// statement).
func (s *Service) create(ctx context.Context, items []newOrder, now time.Time) error {
	if len(items) == 0 {
		return nil
	}
	liaisons, err := s.St.Liaisons(ctx)
	if err != nil {
		return err
	}
	orders := make([]*store.WorkOrder, len(items))
	events := make([]store.OrderEvent, len(items))
	var deadlines []store.Deadline
	var reasons []store.OrderReason
	units := map[uint]string{}
	for i, it := range items {
		o := it.o
		if o.ID == 0 {
			return errors.New("complaint: create: order not planned")
		}
		if o.Source == "" {
			return errors.New("complaint: create: order without a source")
		}
		if s.failCreate != nil && s.failCreate(o) {
			return errors.New("complaint: create: failed by test")
		}
		for j, r := range it.reasons {
			if !slices.Contains(it.reasons[:j], r) { // a reason named twice is written once
				reasons = append(reasons, store.OrderReason{OrderID: o.ID, Reason: r})
			}
		}
		note := "渠道 " + o.Channel
		if it.unit != 0 {
			name, ok := units[it.unit]
			if !ok {
				// The timeline names the unit as people know it, from the store's cache of body
				// names: no round trip inside the batch's transaction, which every filing waits on.
				var err error
				if name, err = s.St.BodyName(ctx, it.unit); err != nil {
					return err
				}
				units[it.unit] = name
			}
			if name != "" {
				note += "，建议承办单位 " + name
			}
		}
		if o.Source == string(lifecycle.SourcePhone) {
			note += "，电话受理，接线员 " + it.taker // who took the call, on the one timeline of every channel
		}
		events[i] = store.OrderEvent{OrderID: o.ID, At: now, ActorID: it.filer, ActorRole: it.role, Action: "submit", ToStatus: o.Status, Note: note}
		orders[i] = o
		deadlines = append(deadlines, it.ds...)
	}
	for _, rows := range []any{orders, reasons, events, deadlines} {
		if reflect.ValueOf(rows).Len() == 0 {
			continue // most filings name no reason
		}
		if err := s.St.QueueInsert(ctx, rows); err != nil {
			return err
		}
	}
	for i := range deadlines {
		if err := s.armTimers(ctx, &deadlines[i], now); err != nil {
			return err
		}
	}
	for _, it := range items {
		o := it.o
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: it.filer, ActorRole: it.role, Action: "order.submit", ObjectType: "order", ObjectID: o.ID,
			Detail: `{"type":"` + o.Type + `","channel":"` + o.Channel + `"}`}); err != nil {
			return err
		}
		if o.Source != string(lifecycle.SourceSystem) {
			if err := s.notifyFiler(ctx, o, now, "order.received", "您的诉求已提交："+o.Number, "Your report was received: "+o.Number); err != nil {
				return err
			}
		}
		if err := s.notifyLiaisonsIn(ctx, liaisons, o, now, "新工单待受理："+o.Number, "New work order to accept: "+o.Number); err != nil {
			return err
		}
	}
	return nil
}

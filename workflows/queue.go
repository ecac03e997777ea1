// Package workflows is the only importer of asynq: the queue connection, task types, the outbox
// relay and its sweep, the worker and the periodic scheduler.
package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// QueueName is the single queue all tasks use for now.
const QueueName = "default"

// Queue is the connection to Redis: a real server, or an in-process one for the embedded mode.
type Queue struct {
	Opt       asynq.RedisConnOpt
	Client    *asynq.Client
	Inspector *asynq.Inspector
	rdb       redis.UniversalClient
	mini      *miniredis.Miniredis
}

// OpenQueue connects to url, or starts an in-process Redis when url is empty.
func OpenQueue(ctx context.Context, url string) (*Queue, error) {
	q := &Queue{}
	if url == "" {
		m, err := miniredis.Run()
		if err != nil {
			return nil, fmt.Errorf("workflows: in-process redis: %w", err)
		}
		q.mini = m
		q.Opt = asynq.RedisClientOpt{Addr: m.Addr()}
	} else {
		opt, err := asynq.ParseRedisURI(url)
		if err != nil {
			return nil, fmt.Errorf("workflows: redis url: %w", err)
		}
		q.Opt = opt
	}
	rdb, ok := q.Opt.MakeRedisClient().(redis.UniversalClient)
	if !ok {
		return nil, errors.New("workflows: unexpected redis client type")
	}
	q.rdb = rdb
	if err := q.Ping(ctx); err != nil {
		q.Close()
		return nil, fmt.Errorf("workflows: cannot reach redis: %w", err)
	}
	q.Client = asynq.NewClientFromRedisClient(rdb)
	q.Inspector = asynq.NewInspectorFromRedisClient(rdb)
	return q, nil
}

// Ping tells whether Redis answers.
func (q *Queue) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return q.rdb.Ping(ctx).Err()
}

// Embedded tells whether the queue lives in this process.
func (q *Queue) Embedded() bool { return q.mini != nil }

// Register names the queue in Redis's list of queues, as asynq's client does on its first
// enqueue; it is idempotent.
func (q *Queue) Register(ctx context.Context) error {
	return q.rdb.SAdd(ctx, "asynq:queues", QueueName).Err()
}

// FlushAll empties Redis: tests use it to play a queue that lost everything.
func (q *Queue) FlushAll(ctx context.Context) error { return q.rdb.FlushDB(ctx).Err() }

// Depth reports tasks per state in the queue, for metrics.
func (q *Queue) Depth() (map[string]int, error) {
	info, err := q.Inspector.GetQueueInfo(QueueName)
	if err != nil {
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return map[string]int{"pending": 0, "active": 0, "scheduled": 0, "retry": 0, "archived": 0}, nil
		}
		return nil, fmt.Errorf("workflows: queue info: %w", err)
	}
	return map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled, "retry": info.Retry, "archived": info.Archived}, nil
}

// Close releases the connection and stops an in-process Redis.
func (q *Queue) Close() {
	if q.rdb != nil {
		q.rdb.Close()
	}
	if q.mini != nil {
		q.mini.Close()
	}
}

// WorkerAlive tells whether a worker process on host is registered in Redis and processing: asynq
// servers keep a heartbeat key there that expires within seconds of their end.
func (q *Queue) WorkerAlive(host string) (bool, error) {
	servers, err := q.Inspector.Servers()
	if err != nil {
		return false, fmt.Errorf("workflows: servers: %w", err)
	}
	for _, s := range servers {
		if s.Host == host && s.Status == "active" {
			return true, nil
		}
	}
	return false, nil
}

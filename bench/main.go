// Command bench measures and breaks the Qijian portal on PostgreSQL and Redis.
//
//	go run ./bench load [-size quick|full] [-clients N] [-duration D]
//	go run ./bench faults [-long] [-restart-pg] [-only N,...]
//	go run ./bench faults -soak 10m
//
// Each run creates its own PostgreSQL database (qijian_bench_<random>) and drops it at the end,
// and uses one Redis database other than 0 (an empty one in 15..1 unless -redis-db says which).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"qijian/internal/config"
)

const usage = `usage:
  go run ./bench load   [-size quick|full] [-clients N] [-duration D] [common flags]
  go run ./bench faults [-long] [-restart-pg] [-only N,...] [common flags]
  go run ./bench faults -soak D [-rate R] [common flags]   (a soak of D instead of the faults)

common flags:
  -pg URL        PostgreSQL URL the bench creates and drops its own database through
                 (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
  -redis URL     Redis server (default redis://127.0.0.1:6379)
  -redis-db N    Redis database 1..15 (default: the highest-numbered empty one)
  -keep          keep the database and the temp dir (logs) afterwards
`

func commonFlags(fs *flag.FlagSet, c *common) {
	fs.StringVar(&c.adminURL, "pg", envOr("QIJIAN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL URL to create the bench database through")
	fs.StringVar(&c.redisURL, "redis", envOr("QIJIAN_BENCH_REDIS", "redis://127.0.0.1:6379"), "Redis server")
	fs.IntVar(&c.redisDB, "redis-db", 0, "Redis database 1..15 (0: the highest-numbered empty one)")
	fs.BoolVar(&c.keep, "keep", false, "keep the database and temp dir")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	config.TuneGC(os.Getenv) // the web part runs in this process, tuned as the qijian binary is
	var err error
	switch os.Args[1] {
	case "load":
		err = runLoad(ctx, os.Args[2:])
	case "faults":
		err = runFaults(ctx, os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: "+err.Error())
		os.Exit(1)
	}
}

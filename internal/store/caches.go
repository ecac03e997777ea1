package store

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// cacheSources names every cache the store keeps and the tables it is read from. A write to one
// of those tables by any path empties the cache at once and again when the write's transaction
// commits (see wrote): gorm's creates, updates and deletes by their statement's table, raw
// statements by the table they name (every cache when that cannot be told), the commit-time
// INSERT by the tables it writes. A new cache lists its tables here; its writers do nothing.
var cacheSources = map[string][]string{
	signInCache:          {"sessions", "users", "enterprises"}, // SessionWithUser
	"liaisons":           {"users"},                            // Liaisons
	"routing_rules":      {"routing_rules"},                    // RoutingRules
	"sla_policies":       {"sla_policies"},                     // SLAPolicies
	"outside_recipients": {"notification_prefs"},               // WantsOutside
	"body_ids":           {"bodies"},                           // BodiesExist
	"body_names":         {"bodies"},                           // BodyName
}

// signInCache is the session cache's name in cacheSources (it is not a tableCache).
const signInCache = "sign_in"

// cacheRegistry is cacheSources turned round: for each table, the caches that read it.
type cacheRegistry struct {
	byTable map[string][]string
	all     []string
}

func newCacheRegistry(sources map[string][]string) *cacheRegistry {
	r := &cacheRegistry{byTable: map[string][]string{}}
	for cache, tables := range sources {
		r.add(cache, tables...)
	}
	return r
}

func (r *cacheRegistry) add(cache string, tables ...string) {
	r.all = append(r.all, cache)
	for _, t := range tables {
		r.byTable[t] = append(r.byTable[t], cache)
	}
}

func (r *cacheRegistry) known(cache string) bool {
	for _, c := range r.all {
		if c == cache {
			return true
		}
	}
	return false
}

// wrote empties the caches that read table, now and again when ctx's transaction commits (a
// read while it was open saw the old rows and may have been kept).
func (s *Store) wrote(ctx context.Context, table string) {
	for _, c := range s.caches.byTable[table] {
		s.forget(ctx, c)
	}
}

func (s *Store) forget(ctx context.Context, cache string) {
	if cache == signInCache {
		s.sessions.bump()
		AfterCommit(ctx, func(context.Context) { s.sessions.bump() })
		return
	}
	s.invalidate(ctx, cache)
}

// keepCaches marks a write that changes nothing a cache keeps: a session's idle clock, which the
// session cache moves itself (see TouchSession).
const keepCaches = "qijian:keep_caches"

// watchWrites registers the one hook that empties caches for every write through gorm: typed
// creates, updates and deletes by their statement's table; raw statements (Exec, and Raw with
// Scan or Row, as a DELETE … RETURNING is) by the table their text names.
func (s *Store) watchWrites() error {
	typed := func(db *gorm.DB) {
		if keep, _ := db.Get(keepCaches); keep == true {
			return
		}
		if t := db.Statement.Table; t != "" {
			s.wrote(db.Statement.Context, t)
			return
		}
		s.wroteSQL(db.Statement.Context, db.Statement.SQL.String())
	}
	raw := func(db *gorm.DB) { s.wroteSQL(db.Statement.Context, db.Statement.SQL.String()) }
	cb := s.db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("qijian:caches", typed),
		cb.Update().After("gorm:update").Register("qijian:caches", typed),
		cb.Delete().After("gorm:delete").Register("qijian:caches", typed),
		cb.Raw().After("gorm:raw").Register("qijian:caches", raw),
		cb.Row().After("gorm:row").Register("qijian:caches", raw),
		cb.Query().After("gorm:query").Register("qijian:caches", raw),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// wroteSQL empties the caches of the table a raw statement writes, or every cache for a
// statement that may write but names no one table (WITH, DDL).
func (s *Store) wroteSQL(ctx context.Context, sql string) {
	table, write := writtenTable(sql)
	switch {
	case !write:
	case table != "":
		s.wrote(ctx, table)
	default:
		for _, c := range s.caches.all {
			s.forget(ctx, c)
		}
	}
}

// writtenTable is the table a statement writes, by its first words: the one after INSERT INTO,
// REPLACE INTO, UPDATE, DELETE FROM or TRUNCATE [TABLE]. write is false for a statement that
// writes no table (SELECT, VALUES, SET, SHOW, EXPLAIN, PRAGMA, VACUUM, ANALYZE, transaction
// control); for any other (WITH, DDL) table is "" and write true. It reads only the first words
// and allocates nothing, as every query passes here.
func writtenTable(sql string) (table string, write bool) {
	verb, rest := word(sql)
	var skip []string
	switch strings.ToUpper(verb) {
	case "", "SELECT", "VALUES", "SET", "SHOW", "EXPLAIN", "PRAGMA", "VACUUM", "ANALYZE",
		"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START":
		return "", false
	case "INSERT", "REPLACE":
		skip = []string{"OR", "IGNORE", "REPLACE", "INTO"} // INSERT OR REPLACE INTO t (SQLite)
	case "UPDATE":
		skip = []string{"ONLY", "OR", "IGNORE"}
	case "DELETE":
		skip = []string{"FROM", "ONLY"}
	case "TRUNCATE":
		skip = []string{"TABLE", "ONLY"}
	default:
		return "", true
	}
	name, rest := word(rest)
	for slices.ContainsFunc(skip, func(w string) bool { return strings.EqualFold(w, name) }) {
		name, rest = word(rest)
	}
	if j := strings.LastIndexByte(name, '.'); j >= 0 {
		name = name[j+1:] // schema.table
	}
	return strings.Trim(name, "\"`[]"), true
}

// word is the first word of s (letters, digits, _ . " ` [ ]) after any spaces and opening
// parentheses, and what follows it.
func word(s string) (w, rest string) {
	s = strings.TrimLeft(s, " \t\r\n(")
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r == '.' || r == '"' || r == '`' || r == '[' || r == ']' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}

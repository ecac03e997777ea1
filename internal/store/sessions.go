package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"

	"qijian/internal/account"
)

// Session is a server-side login: a web cookie session or an API bearer token. Only the
// SHA-256 of the secret is stored, so a database leak does not hand out live sessions.
type Session struct {
	ID         string `gorm:"primaryKey"`
	UserID     uint
	Kind       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time

	EnterpriseCounty string `gorm:"-"` // read with the session for an enterprise login
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	return mapErr("create session", s.DB(ctx).Create(ss).Error)
}

// SessionWithUser reads a session by its hashed id together with its user and, for an enterprise
// login, the enterprise's county, in one query (signInQuery).
//
// Outside a transaction it answers from a short cache (see SessionCacheTTL).
func (s *Store) SessionWithUser(ctx context.Context, id string) (*Session, *account.User, error) {
	if InTx(ctx) {
		return s.readSessionWithUser(ctx, id)
	}
	now := time.Now()
	if ss, u, ok := s.sessions.get(id, now); ok {
		return ss, u, nil
	}
	gen := s.sessions.generation()
	ss, u, err := s.readSessionWithUser(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	s.sessions.put(id, ss, u, now, gen)
	return ss, u, nil
}

func (s *Store) readSessionWithUser(ctx context.Context, id string) (*Session, *account.User, error) {
	var ss Session
	var u account.User
	var county *string
	q := s.signIn
	dest := make([]any, 0, len(q.session)+len(q.user)+1)
	sv, uv := reflect.ValueOf(&ss).Elem(), reflect.ValueOf(&u).Elem()
	for _, idx := range q.session {
		dest = append(dest, sv.FieldByIndex(idx).Addr().Interface())
	}
	for _, idx := range q.user {
		dest = append(dest, uv.FieldByIndex(idx).Addr().Interface())
	}
	err := s.DB(ctx).Raw(q.sql, id).Row().Scan(append(dest, &county)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, nil, mapErr("session", err)
	}
	if county != nil {
		ss.EnterpriseCounty = *county
	}
	return &ss, &u, nil
}

// signInQuery is the one statement of a sign-in: every column gorm maps for Session and
// account.User, scanned into them by field, and the enterprise's county. Every signed-in
// request starts here, so it is scanned into the fields directly, not through gorm's Scan; as
// its columns come from the models' schemas, a field added to either model is read with the
// rest, and TestSignInReadsEveryColumn fails for a column added to the tables that neither
// model maps (or signInSkips lists).
type signInQuery struct {
	sql           string
	session, user [][]int             // the scanned fields' index paths, in the SELECT's order
	columns       map[string][]string // table → the columns read
}

// signInSkips lists, per table, columns the sign-in deliberately does not read.
var signInSkips = map[string][]string{
	"sessions": nil,
	"users":    nil,
}

func newSignInQuery(cache *sync.Map, namer schema.Namer) (*signInQuery, error) {
	q := &signInQuery{columns: map[string][]string{}}
	var cols []string
	read := func(alias string, model any) ([][]int, error) {
		sch, err := schema.Parse(model, cache, namer)
		if err != nil {
			return nil, fmt.Errorf("sign-in query: %w", err)
		}
		var idx [][]int
		for _, f := range sch.Fields {
			if f.DBName == "" || !f.Readable || slices.Contains(signInSkips[sch.Table], f.DBName) {
				continue
			}
			if slices.ContainsFunc(f.StructField.Index, func(i int) bool { return i < 0 }) {
				return nil, fmt.Errorf("sign-in query: %s.%s is behind an embedded pointer", sch.Table, f.Name)
			}
			cols = append(cols, signInColumn(alias+"."+f.DBName, f.FieldType))
			idx = append(idx, f.StructField.Index)
			q.columns[sch.Table] = append(q.columns[sch.Table], f.DBName)
		}
		return idx, nil
	}
	var err error
	if q.session, err = read("s", &Session{}); err != nil {
		return nil, err
	}
	if q.user, err = read("u", &account.User{}); err != nil {
		return nil, err
	}
	q.sql = "SELECT " + strings.Join(cols, ", ") + `, e.county_code
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id
		WHERE s.id = ?`
	return q, nil
}

// signInColumn is col as the SELECT reads it into a field of type t: a NULL becomes the zero
// value of a string, boolean or number (as gorm reads it; a scan into one would fail), and stays
// NULL for a pointer.
func signInColumn(col string, t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "COALESCE(" + col + ", '')"
	case reflect.Bool:
		return "COALESCE(" + col + ", false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "COALESCE(" + col + ", 0)"
	}
	return col
}

// TouchSession moves a session's idle clock.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	err := s.DB(ctx).Set(keepCaches, true).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", at).Error
	if err == nil {
		s.sessions.touched(id, at)
	}
	return mapErr("touch session", err)
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return mapErr("delete session", s.DB(ctx).Where("id = ?", id).Delete(&Session{}).Error)
}

// DeleteUserSessions ends every session of a user (password change, disabling).
func (s *Store) DeleteUserSessions(ctx context.Context, userID uint) error {
	return mapErr("delete user sessions", s.DB(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error)
}

// PurgeSessions removes sessions that expired before t.
func (s *Store) PurgeSessions(ctx context.Context, t time.Time) (int64, error) {
	res := s.DB(ctx).Where("expires_at < ?", t).Delete(&Session{})
	return res.RowsAffected, mapErr("purge sessions", res.Error)
}

package store

import "testing"

func TestRenumberShiftsEveryPlaceholder(t *testing.T) {
	for _, c := range []struct {
		in   string
		off  int
		want string
	}{
		{`INSERT INTO "t" ("a","b") VALUES ($1,$2),($3,$4) RETURNING "id"`, 0, `INSERT INTO "t" ("a","b") VALUES ($1,$2),($3,$4) RETURNING "id"`},
		{`INSERT INTO "t" ("a","b") VALUES ($1,$2),($3,$4) RETURNING "id"`, 7, `INSERT INTO "t" ("a","b") VALUES ($8,$9),($10,$11) RETURNING "id"`},
		{`VALUES ($9,$10,$99,$100)`, 1, `VALUES ($10,$11,$100,$101)`},
		{`x $ y $`, 3, `x $ y $`},
	} {
		if got := renumber(c.in, c.off); got != c.want {
			t.Errorf("renumber(%q, %d) = %q, want %q", c.in, c.off, got, c.want)
		}
	}
}

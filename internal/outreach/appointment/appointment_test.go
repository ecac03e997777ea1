package appointment

import "testing"

func TestLifecycleTable(t *testing.T) {
	t.Parallel()
	statuses := []Status{Requested, Proposed, Scheduled, Held, Declined, Cancelled}
	want := map[string]Status{
		"requested accept body": Scheduled, "proposed accept body": Scheduled,
		"requested propose body": Proposed, "proposed propose body": Proposed, "scheduled propose body": Proposed,
		"proposed agree enterprise": Scheduled,
		"requested decline body":    Declined, "proposed decline body": Declined,
		"requested cancel enterprise": Cancelled, "proposed cancel enterprise": Cancelled, "scheduled cancel enterprise": Cancelled,
		"scheduled record body": Held,
		"held rate enterprise":  Held,
	}
	for _, s := range statuses {
		for _, a := range []Action{Accept, Propose, Agree, Decline, Cancel, Record, Rate, "x"} {
			for _, by := range []Side{Enterprise, Body, "other"} {
				k := string(s) + " " + string(a) + " " + string(by)
				got, err := Next(s, a, by)
				if w, ok := want[k]; ok != (err == nil) || got != w {
					t.Errorf("%s: %q %v, want %q", k, got, err, w)
				}
			}
		}
	}
	if a := Allowed(Held, Enterprise, true); len(a) != 0 {
		t.Errorf("a rated meeting can be rated again: %v", a)
	}
}

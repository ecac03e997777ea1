package inspection_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"qijian/internal/inspection"
)

// An officer's registration names its own body as coordinator and lead, whatever the order
// given; the other bodies are pending, count nowhere and see nothing until they answer. An
// admin's registration (the platform's pushes) takes every body at once.
func TestJointPartsPendingUntilConfirmed(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj") // body 1
	asked := off
	asked.BodyID = 2 // an officer of body 2, as the policy sees one
	r := lawful("J-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.Kind, r.BodyIDs = "joint", []uint{2, 1}
	reg, _, err := f.svc.Register(ctx, off, r)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(reg.PendingBodyIDs, []uint{2}) {
		t.Fatalf("pending %v, want [2]", reg.PendingBodyIDs)
	}
	in, err := f.st.InspectionByID(ctx, reg.ID)
	if err != nil || !slices.Equal(in.BodyIDs, []uint{1}) || in.SourceBodyID != 1 {
		t.Fatalf("stored: %+v %v, want body 1 alone and as source", in, err)
	}
	if _, err := f.svc.Detail(ctx, asked, reg.ID); !errors.Is(err, inspection.ErrNotFound) {
		t.Fatalf("the asked body reads it before answering: %v", err)
	}
	if reqs, err := f.svc.JointRequests(ctx, off); err != nil || len(reqs) != 0 {
		t.Fatalf("the coordinator's own requests: %v %v", reqs, err)
	}
	reqs, err := f.svc.JointRequests(ctx, asked)
	if err != nil || len(reqs) != 1 || reqs[0].ID != reg.ID || reqs[0].Coordinator == "" || reqs[0].Enterprise == "" {
		t.Fatalf("the asked body's requests: %+v %v", reqs, err)
	}
	if _, err := f.svc.AnswerJoint(ctx, off, reg.ID, true); !errors.Is(err, inspection.ErrNotFound) {
		t.Fatalf("the coordinator answered for body 2: %v", err)
	}
	if _, err := f.svc.AnswerJoint(ctx, f.actor(t, "admin"), reg.ID, true); !errors.Is(err, inspection.ErrNotFound) {
		t.Fatalf("an admin answered for body 2: %v", err)
	}
	if st, err := f.svc.AnswerJoint(ctx, asked, reg.ID, true); err != nil || st != "confirmed" {
		t.Fatalf("confirm: %q %v", st, err)
	}
	if in, _ = f.st.InspectionByID(ctx, reg.ID); !slices.Equal(in.BodyIDs, []uint{1, 2}) || len(in.PendingBodyIDs) != 0 {
		t.Fatalf("after confirming: %v pending %v", in.BodyIDs, in.PendingBodyIDs)
	}
	if _, err := f.svc.Detail(ctx, asked, reg.ID); err != nil {
		t.Fatalf("the confirmed body cannot read it: %v", err)
	}

	r.ExternalID, r.BodyIDs = "J-2", []uint{1, 2}
	reg, _, err = f.svc.Register(ctx, f.actor(t, "admin"), r)
	if err != nil || len(reg.PendingBodyIDs) != 0 {
		t.Fatalf("admin's joint registration: %+v %v", reg, err)
	}
}

// The same external id from two source bodies is two inspections; from one body, one.
func TestExternalIDPerSourceBody(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	r := lawful("EXT-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	first, _, err := f.svc.Register(ctx, off, r)
	if err != nil {
		t.Fatal(err)
	}
	other := r
	other.BodyIDs = []uint{2}
	second, created, err := f.svc.Register(ctx, f.actor(t, "admin"), other)
	if err != nil || !created || second.ID == first.ID || second.Code == first.Code {
		t.Fatalf("body 2's EXT-1: %+v %v %v (body 1's: %+v)", second, created, err, first)
	}
	again, created, err := f.svc.Register(ctx, off, r)
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("body 1's EXT-1 again: %+v %v %v", again, created, err)
	}
}

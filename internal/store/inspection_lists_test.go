package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// An inspection's lists round-trip through their join tables in order; a list by body finds the
// inspections the body takes part in, lead or not; a filter naming no scope lists nothing.
func TestInspectionListsAndScopes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	add := func(ent uint, county string, bodies, items, people []uint) *store.Inspection {
		t.Helper()
		in, created, err := st.CreateInspection(ctx, &store.Inspection{Kind: "planned", Status: "scheduled", EnterpriseID: ent, CountyCode: county,
			BodyIDs: bodies, ItemIDs: items, InspectorIDs: people, ScheduledAt: at, CreatedBy: 1, CreatedAt: at, UpdatedAt: at})
		if err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		at = at.Add(time.Hour)
		return in
	}
	joint := add(1, "330302", []uint{3, 1}, []uint{9, 2}, []uint{5, 4})
	alone := add(2, "330381", []uint{1}, nil, nil)
	other := add(2, "330381", []uint{2}, []uint{1}, []uint{1})

	got, err := st.InspectionByID(ctx, joint.ID)
	if err != nil || !slices.Equal(got.BodyIDs, []uint{3, 1}) || !slices.Equal(got.ItemIDs, []uint{9, 2}) || !slices.Equal(got.InspectorIDs, []uint{5, 4}) {
		t.Fatalf("read back: %+v %v", got, err)
	}
	ids := func(f store.InspectionFilter) []uint64 {
		t.Helper()
		l, err := st.Inspections(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, in := range l {
			out = append(out, in.ID)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		name string
		f    store.InspectionFilter
		want []uint64
	}{
		{"the zero filter fails closed", store.InspectionFilter{}, nil},
		{"a limit alone is no scope", store.InspectionFilter{Limit: 10}, nil},
		{"all, said on purpose", store.InspectionFilter{All: true}, []uint64{joint.ID, alone.ID, other.ID}},
		{"body 1, lead or not", store.InspectionFilter{BodyID: 1}, []uint64{joint.ID, alone.ID}},
		{"body 3 takes part once", store.InspectionFilter{BodyID: 3}, []uint64{joint.ID}},
		{"an enterprise", store.InspectionFilter{EnterpriseID: 2}, []uint64{alone.ID, other.ID}},
		{"a county", store.InspectionFilter{CountyCode: "330302"}, []uint64{joint.ID}},
		{"an enterprise and a body", store.InspectionFilter{EnterpriseID: 2, BodyID: 2}, []uint64{other.ID}},
	} {
		if got := ids(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Lists read in bulk belong to their own inspections.
	l, _ := st.Inspections(ctx, store.InspectionFilter{All: true})
	for _, in := range l {
		if in.ID == other.ID && (!slices.Equal(in.BodyIDs, []uint{2}) || !slices.Equal(in.ItemIDs, []uint{1})) {
			t.Fatalf("bulk read mixed lists: %+v", in)
		}
	}
	if err := st.SetInspectionItems(ctx, joint.ID, []uint{2, 9, 7}, at); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.InspectionByID(ctx, joint.ID); !slices.Equal(got.ItemIDs, []uint{2, 9, 7}) || !slices.Equal(got.BodyIDs, []uint{3, 1}) {
		t.Fatalf("items replaced: %v, bodies %v", got.ItemIDs, got.BodyIDs)
	}
	// A push with a known external id returns the stored inspection with its lists.
	ext := "zj-1"
	first := add(1, "330302", []uint{1}, []uint{3}, []uint{2})
	first.ExternalID = &ext
	if err := st.DB(ctx).Model(&store.Inspection{}).Where("id = ?", first.ID).Update("external_id", ext).Error; err != nil {
		t.Fatal(err)
	}
	again, created, err := st.CreateInspection(ctx, &store.Inspection{ExternalID: &ext, Kind: "planned", Status: "scheduled", EnterpriseID: 1, CountyCode: "330302",
		BodyIDs: []uint{4}, ScheduledAt: at, CreatedBy: 1, CreatedAt: at, UpdatedAt: at})
	if err != nil || created || again.ID != first.ID || !slices.Equal(again.BodyIDs, []uint{1}) || !slices.Equal(again.ItemIDs, []uint{3}) {
		t.Fatalf("repeat push: %v %v %+v", created, err, again)
	}
}

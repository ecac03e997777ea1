package booking_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

var industries = []string{"new_energy", "smart_mfg", "footwear", "electrical", "apparel", "auto_parts", "pumps_valves", "digital", "food", "chemicals"}

// loadProviders writes n providers' calendars: one service each, ten slots a week for eight weeks.
func loadProviders(b *testing.B, st *store.Store, n int, from time.Time) []uint64 {
	b.Helper()
	svcs := make([]store.Service, n)
	kinds := []string{"checkup", "risk", "legal", "menu"}
	for i := range svcs {
		svcs[i] = store.Service{Code: fmt.Sprintf("bench-%d", i), Kind: kinds[i%4], NameZh: "服务", NameEn: "Service",
			Minutes: 60, Mode: "both", ProviderID: uint(100000 + i), Active: true, CreatedAt: from, UpdatedAt: from}
	}
	if err := st.Gorm().CreateInBatches(&svcs, 1000).Error; err != nil {
		b.Fatal(err)
	}
	// Every fourth service is a menu for one industry (the join table); the rest are for all.
	var inds []store.ServiceIndustry
	for i := 3; i < n; i += 4 {
		inds = append(inds, store.ServiceIndustry{ServiceID: svcs[i].ID, Industry: industries[(i/4)%len(industries)]})
	}
	if len(inds) > 0 {
		if err := st.Gorm().CreateInBatches(&inds, 1000).Error; err != nil {
			b.Fatal(err)
		}
	}
	var slots []store.Slot
	var ids []uint64
	flush := func() {
		if err := st.Gorm().CreateInBatches(&slots, 2000).Error; err != nil {
			b.Fatal(err)
		}
		for _, s := range slots {
			ids = append(ids, s.ID)
		}
		slots = slots[:0]
	}
	for _, sv := range svcs {
		for d := 0; d < 56; d++ {
			day := from.AddDate(0, 0, d)
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			for _, h := range []int{9, 14} {
				start := time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, calendar.Location())
				slots = append(slots, store.Slot{ServiceID: sv.ID, ProviderID: sv.ProviderID, StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 2, Booked: (d + h) % 3})
			}
		}
		if len(slots) >= 20000 {
			flush()
		}
	}
	flush()
	return ids
}

// BenchmarkSlotSearch10kProviders: the earliest free slots across 10,000 providers' calendars
// (800,000 slots), by kind and industry, and one service's two weeks.
//
//	QIJIAN_TEST_DATABASE_URL=… go test -run '^$' -bench SlotSearch -benchtime 200x ./internal/booking/
func BenchmarkSlotSearch10kProviders(b *testing.B) {
	st := testkit.Store(b)
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, calendar.Location())
	start := time.Now()
	loadProviders(b, st, 10000, from)
	b.Logf("loaded 10,000 providers' calendars in %v", time.Since(start).Round(time.Millisecond))
	// Statistics, as autovacuum would gather them on a live database.
	if err := st.Gorm().Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("search-any", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			at := from.Add(time.Duration(i%200) * time.Hour)
			if hits, err := st.SearchSlots(ctx, "", "", at, 50); err != nil || len(hits) == 0 {
				b.Fatal(err, len(hits))
			}
		}
	})
	b.Run("search-menu-for-industry", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			at := from.Add(time.Duration(i%200) * time.Hour)
			if hits, err := st.SearchSlots(ctx, "menu", industries[i%len(industries)], at, 50); err != nil || len(hits) == 0 {
				b.Fatal(err, len(hits))
			}
		}
	})
	b.Run("one-service-two-weeks", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := st.OpenSlots(ctx, uint(1+i%10000), from, from.AddDate(0, 0, 14)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBook: bookings per second through the use case (seat update, booking row, two
// messages and two reminder timers in one commit), with parallel enterprises on distinct slots.
func BenchmarkBook(b *testing.B) {
	st := testkit.Store(b)
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, calendar.Location())
	ids := loadProviders(b, st, 500, from)
	st.Gorm().Model(&store.Slot{}).Where("1 = 1").Updates(map[string]any{"booked": 0, "capacity": 1 << 20})
	svc := &booking.Service{St: st, Cal: calendar.New(), Clock: clock.NewFake(from.Add(-24 * time.Hour))}
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			a := account.Actor{UserID: uint(1 + i%1000), Role: account.RoleEnterprise, EnterpriseID: uint(1 + i%1000)}
			if _, err := svc.Book(context.Background(), a, booking.BookInput{SlotID: ids[int(i)%len(ids)], Mode: "online"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
}

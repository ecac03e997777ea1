package store

import (
	"context"
	"time"

	"qijian/internal/calendar"
)

// CalendarOverride is an admin's correction to the official calendar: a day made working or off.
type CalendarOverride struct {
	Day     string `gorm:"primaryKey"`
	Working bool
	Name    string
}

// TableName maps the row to its table.
func (CalendarOverride) TableName() string { return "calendar_overrides" }

// CalendarOverrides lists every override by day.
func (s *Store) CalendarOverrides(ctx context.Context) ([]CalendarOverride, error) {
	var out []CalendarOverride
	err := s.DB(ctx).Order("day").Find(&out).Error
	return out, mapErr("calendar overrides", err)
}

// SaveCalendarOverride sets or replaces one day's override.
func (s *Store) SaveCalendarOverride(ctx context.Context, o *CalendarOverride) error {
	return mapErr("save calendar override", s.DB(ctx).Save(o).Error)
}

// DeleteCalendarOverride removes one day's override.
func (s *Store) DeleteCalendarOverride(ctx context.Context, day string) error {
	return mapErr("delete calendar override", s.DB(ctx).Where("day = ?", day).Delete(&CalendarOverride{}).Error)
}

// CalendarYear is a year an administrator entered or imported in full.
type CalendarYear struct {
	Year      int `gorm:"primaryKey;autoIncrement:false"`
	EnteredBy uint
	EnteredAt time.Time
	Source    string
}

// TableName maps the row to its table.
func (CalendarYear) TableName() string { return "calendar_years" }

// CalendarYears lists the entered years in order.
func (s *Store) CalendarYears(ctx context.Context) ([]CalendarYear, error) {
	var out []CalendarYear
	err := s.DB(ctx).Order("year").Find(&out).Error
	return out, mapErr("calendar years", err)
}

// SaveCalendarYear marks a year as entered (or records it again).
func (s *Store) SaveCalendarYear(ctx context.Context, y *CalendarYear) error {
	return mapErr("save calendar year", s.DB(ctx).Save(y).Error)
}

// DeleteCalendarYear unmarks a year.
func (s *Store) DeleteCalendarYear(ctx context.Context, year int) error {
	return mapErr("delete calendar year", s.DB(ctx).Where("year = ?", year).Delete(&CalendarYear{}).Error)
}

// LoadCalendar puts the stored overrides and entered years into cal.
func (s *Store) LoadCalendar(ctx context.Context, cal *calendar.Calendar) error {
	rows, err := s.CalendarOverrides(ctx)
	if err != nil {
		return err
	}
	ovs := make([]calendar.Override, 0, len(rows))
	for _, r := range rows {
		t, err := time.ParseInLocation("2006-01-02", r.Day, calendar.Location())
		if err != nil {
			continue
		}
		ovs = append(ovs, calendar.Override{Date: calendar.DateOf(t), Working: r.Working, Name: r.Name})
	}
	years, err := s.CalendarYears(ctx)
	if err != nil {
		return err
	}
	ys := make([]int, len(years))
	for i, y := range years {
		ys[i] = y.Year
	}
	cal.SetOverrides(ovs)
	cal.SetEnteredYears(ys)
	return nil
}

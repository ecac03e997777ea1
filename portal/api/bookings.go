package api

import "time"

// Service is one entry of the service catalogue.
type Service struct {
	ID            uint     `json:"id"`
	Code          string   `json:"code"`
	Kind          string   `json:"kind" validate:"oneof=checkup risk legal menu"`
	NameZh        string   `json:"name_zh"`
	NameEn        string   `json:"name_en"`
	DescriptionZh string   `json:"description_zh"`
	DescriptionEn string   `json:"description_en"`
	Industries    []string `json:"industries" doc:"industry codes; empty: every industry"`
	Minutes       int      `json:"minutes"`
	Mode          string   `json:"mode" validate:"oneof=online onsite both"`
	ProviderID    uint     `json:"provider_id" doc:"the provider's user id"`
	Active        bool     `json:"active"`
}

// Catalogue is the menu, the industry put first named.
type Catalogue struct {
	Items    []Service `json:"items"`
	Industry string    `json:"industry" doc:"the industry whose services come first; empty: none"`
}

// Slot is a bookable time with its free seats; a search across services also names its service.
type Slot struct {
	ID        uint64    `json:"id"`
	ServiceID uint      `json:"service_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Capacity  int       `json:"capacity"`
	Free      int       `json:"free"`
	NameZh    string    `json:"name_zh,omitempty" doc:"the service's name (search results)"`
	NameEn    string    `json:"name_en,omitempty" doc:"the service's name (search results)"`
	Mode      string    `json:"mode,omitempty" validate:"omitempty,oneof=online onsite both" doc:"the service's mode (search results)"`
}

// ServiceSlots is a service with its free slots.
type ServiceSlots struct {
	Service Service `json:"service"`
	Items   []Slot  `json:"items"`
}

// Booking is an enterprise's booking of a slot.
type Booking struct {
	ID        uint64    `json:"id"`
	Number    string    `json:"number"`
	ServiceID uint      `json:"service_id"`
	SlotID    uint64    `json:"slot_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Mode      string    `json:"mode" validate:"oneof=online onsite"`
	Address   string    `json:"address"`
	Topic     string    `json:"topic"`
	Status    string    `json:"status" validate:"oneof=booked confirmed in_progress completed cancelled no_show"`
	CreatedAt time.Time `json:"created_at"`
	Actions   []string  `json:"actions" validate:"dive,oneof=confirm start complete no_show reschedule cancel" doc:"what the caller may do to it now"`
}

// Report is a check-up report: only the enterprise and its provider ever read it.
type Report struct {
	BookingID uint64    `json:"booking_id"`
	Findings  string    `json:"findings"`
	Advice    string    `json:"advice"`
	FollowUp  string    `json:"follow_up"`
	CreatedAt time.Time `json:"created_at"`
}

// ScheduleRule is one weekly slot.
type ScheduleRule struct {
	Weekday  int    `json:"weekday" doc:"0 Sunday … 6 Saturday"`
	Start    string `json:"start" doc:"HH:MM, Wenzhou time"`
	Capacity int    `json:"capacity"`
}

// Schedule is a service's weekly schedule as published.
type Schedule struct {
	ServiceID uint           `json:"service_id"`
	Rules     []ScheduleRule `json:"rules"`
}

// Exception is one date of a service closed or with another capacity.
type Exception struct {
	ServiceID uint   `json:"service_id"`
	Day       string `json:"day"`
	Closed    bool   `json:"closed"`
	Capacity  int    `json:"capacity"`
}

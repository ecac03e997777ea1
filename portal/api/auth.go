package api

import "time"

// Token is a bearer token for the API.
type Token struct {
	Token     string    `json:"token" doc:"send as Authorization: Bearer <token>; revoke with DELETE /auth/token"`
	ExpiresAt time.Time `json:"expires_at" doc:"12 hours after it was issued, however much it is used"`
}

// Received is the one answer to a registration (and to a password-reset request): it says the
// same whatever the database holds, so it tells no outsider who exists.
type Received struct {
	Status string `json:"status" validate:"oneof=received" doc:"always received: what follows comes by SMS to the mobile given, or after signing in"`
}

// Me is who the caller is, with the scope it carries.
type Me struct {
	ID          uint          `json:"id"`
	Username    string        `json:"username"`
	Role        string        `json:"role" validate:"oneof=enterprise observer liaison officer provider operator admin"`
	DisplayName string        `json:"display_name"`
	Enterprise  *MeEnterprise `json:"enterprise,omitempty"`
	Body        *MeBody       `json:"body,omitempty"`
	Scope       *LiaisonScope `json:"scope,omitempty"`
	Members     []uint        `json:"members,omitempty" doc:"an observation point's consenting member enterprises"`
	OrgName     string        `json:"org_name,omitempty"`
	Applicant   bool          `json:"applicant" doc:"an enterprise login whose application is not approved: it acts for no enterprise yet"`
}

// MeEnterprise is the caller's own enterprise.
type MeEnterprise struct {
	ID       uint   `json:"id"`
	Name     string `json:"name"`
	USCC     string `json:"uscc"`
	County   string `json:"county"`
	Industry string `json:"industry"`
}

// MeBody is an officer's enforcement body.
type MeBody struct {
	ID     uint   `json:"id"`
	Name   string `json:"name"`
	County string `json:"county"`
}

// LiaisonScope is where a liaison works: the whole city or one county.
type LiaisonScope struct {
	Level  string `json:"level" validate:"oneof=city county"`
	County string `json:"county,omitempty"`
}

// Notification is one inbox entry.
type Notification struct {
	ID        uint64    `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// NotificationQuery picks the inbox's language.
type NotificationQuery struct {
	Lang string `query:"lang" validate:"omitempty,oneof=zh en"`
}

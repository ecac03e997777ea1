package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/store"
)

// Registration is an enterprise signing itself up. Field rules are checked by the caller's
// validator (tags); Register re-checks what only the database can know.
type Registration struct {
	USCC        string `json:"uscc" form:"uscc" validate:"required,uscc"`
	Name        string `json:"name" form:"name" validate:"required,min=2,max=200"`
	County      string `json:"county" form:"county" validate:"required,county"`
	Industry    string `json:"industry" form:"industry" validate:"required,industry"`
	ContactName string `json:"contact_name" form:"contact_name" validate:"required,max=60"`
	Mobile      string `json:"mobile" form:"mobile" validate:"required,mobile"`
	Username    string `json:"username" form:"username" validate:"required,username"`
	Password    string `json:"password" form:"password" validate:"required,min=10,max=128"`
}

// FieldError names the field a request got wrong, with a message key.
type FieldError struct {
	Field string
	Key   string
}

func (e *FieldError) Error() string { return "auth: field " + e.Field + ": " + e.Key }

// Normalize trims what people type.
func (r *Registration) Normalize() {
	r.USCC = account.NormalizeUSCC(r.USCC)
	r.Name = strings.TrimSpace(r.Name)
	r.ContactName = strings.TrimSpace(r.ContactName)
	r.Mobile = strings.TrimSpace(r.Mobile)
	r.Username = strings.ToLower(strings.TrimSpace(r.Username))
}

// Register creates the enterprise and its first login in one transaction, and greets it.
func (s *Service) Register(ctx context.Context, r Registration) (*account.User, *account.Enterprise, error) {
	r.Normalize()
	hash, err := account.HashPassword(r.Password)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: register: %w", err)
	}
	now := s.Clock.Now()
	e := &account.Enterprise{USCC: r.USCC, Name: r.Name, CountyCode: r.County, Industry: r.Industry, ContactName: r.ContactName, Mobile: r.Mobile, CreatedAt: now, UpdatedAt: now}
	var u *account.User
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.CreateEnterprise(ctx, e); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &FieldError{Field: "uscc", Key: "err.uscc_taken"}
			}
			return err
		}
		eid := e.ID
		u = &account.User{Username: r.Username, PasswordHash: hash, Role: account.RoleEnterprise, DisplayName: r.ContactName, EnterpriseID: &eid, CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateUser(ctx, u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &FieldError{Field: "username", Key: "err.username_taken"}
			}
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Entry{At: now, ActorID: u.ID, ActorRole: string(u.Role), Action: "enterprise.register", ObjectType: "enterprise", ObjectID: uint64(e.ID)}); err != nil {
			return err
		}
		return message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "welcome",
			TitleZh: "欢迎使用企检服务平台", TitleEn: "Welcome to Qijian",
			Body: "检查通知、工单进度和预约提醒都会出现在这里。 Inspection notices, complaint progress and booking reminders will appear here.",
			Link: "/"})
	})
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return nil, nil, fe
		}
		return nil, nil, fmt.Errorf("auth: register: %w", err)
	}
	return u, e, nil
}

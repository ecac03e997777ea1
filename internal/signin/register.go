package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/message"
	"qijian/internal/store"
)

// Registration is an enterprise signing itself up, by page and by API. Field rules are checked
// by the caller's validator (tags); Register re-checks what only the database can know.
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

// Normalize trims what people type.
func (r *Registration) Normalize() {
	r.USCC = account.NormalizeUSCC(r.USCC)
	r.Name = strings.TrimSpace(r.Name)
	r.ContactName = strings.TrimSpace(r.ContactName)
	r.Mobile = strings.TrimSpace(r.Mobile)
	r.Username = strings.ToLower(strings.TrimSpace(r.Username))
}

// Registered is the enterprise and login a registration made.
type Registered struct {
	UserID       uint
	EnterpriseID uint
	Username     string
}

// What only the database knows: the credit code or the username is taken.
var (
	ErrUSCCTaken     = &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{"uscc": "err.uscc_taken"}}
	ErrUsernameTaken = &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{"username": "err.username_taken"}}
)

// Register creates the enterprise and its first login in one transaction, audits it, and
// greets the new login.
func (s *Service) Register(ctx context.Context, r Registration) (Registered, error) {
	r.Normalize()
	hash, err := account.HashPassword(r.Password)
	if err != nil {
		return Registered{}, fmt.Errorf("signin: register: %w", err)
	}
	now := s.Clock.Now()
	e := &account.Enterprise{USCC: r.USCC, Name: r.Name, CountyCode: r.County, Industry: r.Industry, ContactName: r.ContactName, Mobile: r.Mobile, CreatedAt: now, UpdatedAt: now}
	var u *account.User
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.CreateEnterprise(ctx, e); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrUSCCTaken
			}
			return err
		}
		eid := e.ID
		u = &account.User{Username: r.Username, PasswordHash: hash, Role: account.RoleEnterprise, DisplayName: r.ContactName, EnterpriseID: &eid, CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateUser(ctx, u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrUsernameTaken
			}
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: u.ID, ActorRole: string(u.Role), Action: "enterprise.register", ObjectType: "enterprise", ObjectID: uint64(e.ID)}); err != nil {
			return err
		}
		return message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "welcome",
			TitleZh: "欢迎使用企检服务平台", TitleEn: "Welcome to Qijian",
			Body: "检查通知、工单进度和预约提醒都会出现在这里。 Inspection notices, complaint progress and booking reminders will appear here.",
			Link: "/"})
	})
	if errors.Is(err, ErrUSCCTaken) || errors.Is(err, ErrUsernameTaken) {
		return Registered{}, err
	}
	if err != nil {
		return Registered{}, fmt.Errorf("signin: register: %w", err)
	}
	return Registered{UserID: u.ID, EnterpriseID: e.ID, Username: u.Username}, nil
}

// Choice is one option of a form's list, named in the reader's language.
type Choice struct {
	Code, Name string
}

// Choices are the lists the registration form offers.
type Choices struct {
	Counties   []Choice
	Industries []Choice
}

// RegistrationChoices are Wenzhou's counties (in their official order) and the industries, named
// in lang.
func (s *Service) RegistrationChoices(ctx context.Context, lang string) (Choices, error) {
	counties, err := s.St.Counties(ctx)
	if err != nil {
		return Choices{}, fmt.Errorf("signin: registration choices: %w", err)
	}
	out := Choices{Counties: make([]Choice, len(counties)), Industries: make([]Choice, len(account.Industries))}
	for i, k := range counties {
		out.Counties[i] = Choice{Code: k.Code, Name: pick(lang, k.NameZh, k.NameEn)}
	}
	for i, ind := range account.Industries {
		out.Industries[i] = Choice{Code: ind.Code, Name: pick(lang, ind.Zh, ind.En)}
	}
	return out, nil
}

// pick is the English text when asked for and present, else the Chinese.
func pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

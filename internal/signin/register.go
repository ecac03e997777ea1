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

// ErrWeakPassword is a chosen password that PasswordWeakness refuses, naming the field.
func weakPassword(why string) error {
	return errs.Field("password", "err.password_"+why)
}

// errTaken is a username or credit code another registration took while this one ran.
var errTaken = errors.New("signin: taken meanwhile")

// Register is an enterprise's application: its first login and a claim on the credit code,
// limited until a reviewer approves it (account.ActorOf). It answers the same whatever the
// database holds, so a registration tells an outsider nothing of who exists: a new credit code
// gets its enterprise record from the application; a code already registered gets a claim that
// reviewers decide against the other claimants (a dispute), instead of a "taken" answer; a
// username already taken makes nothing and tells the applicant so by SMS to the mobile given.
// Only bad input (a weak password) is refused here.
func (s *Service) Register(ctx context.Context, r Registration) error {
	r.Normalize()
	if why := account.PasswordWeakness(r.Password, r.Username, r.Name, r.USCC, r.Mobile, r.ContactName); why != "" {
		return weakPassword(why)
	}
	hash, err := account.HashPassword(r.Password)
	if err != nil {
		return fmt.Errorf("signin: register: %w", err)
	}
	var taken bool
	for try := 0; try < 2; try++ {
		taken, err = s.apply(ctx, r, hash)
		if !errors.Is(err, errTaken) {
			break
		}
		taken = true
	}
	if err != nil && !errors.Is(err, errTaken) {
		return fmt.Errorf("signin: register: %w", err)
	}
	if !taken {
		return nil
	}
	now := s.Clock.Now()
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		return message.Send(ctx, s.St, now, message.Message{To: r.Mobile, Kind: "account.register",
			TitleZh: "企检平台：您申请的用户名已被使用，申请未提交，请换一个用户名重新申请",
			TitleEn: "Qijian: the username you asked for is taken; nothing was registered, please apply again with another"})
	})
	if err != nil {
		return fmt.Errorf("signin: register: %w", err)
	}
	return nil
}

// apply makes the login and its claim (and the enterprise, for a new code) in one transaction;
// taken tells that the username exists already (nothing is made).
func (s *Service) apply(ctx context.Context, r Registration, hash string) (taken bool, err error) {
	now := s.Clock.Now()
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.St.UserByUsername(ctx, r.Username); err == nil {
			taken = true
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		e, err := s.St.EnterpriseByUSCC(ctx, r.USCC)
		if errors.Is(err, store.ErrNotFound) {
			e = &account.Enterprise{USCC: r.USCC, Name: r.Name, CountyCode: r.County, Industry: r.Industry, ContactName: r.ContactName, Mobile: r.Mobile, CreatedAt: now, UpdatedAt: now}
			err = s.St.CreateEnterprise(ctx, e)
		}
		if errors.Is(err, store.ErrConflict) {
			return errTaken
		}
		if err != nil {
			return err
		}
		eid := e.ID
		u := &account.User{Username: r.Username, PasswordHash: hash, Role: account.RoleEnterprise, DisplayName: r.ContactName, EnterpriseID: &eid, CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateUser(ctx, u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errTaken
			}
			return err
		}
		c := &store.Claim{UserID: u.ID, EnterpriseID: e.ID, USCC: r.USCC, Name: r.Name, CountyCode: r.County, Industry: r.Industry,
			ContactName: r.ContactName, Mobile: r.Mobile, Status: store.ClaimPending, CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateClaim(ctx, c); err != nil {
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: u.ID, ActorRole: string(u.Role), Action: "enterprise.apply", ObjectType: "claim", ObjectID: c.ID,
			Detail: fmt.Sprintf(`{"enterprise":%d}`, e.ID)}); err != nil {
			return err
		}
		return message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "welcome",
			TitleZh: "欢迎使用企检服务平台：请上传营业执照，审核通过前账号受限", TitleEn: "Welcome to Qijian: upload your business licence; the account is limited until it is reviewed",
			Body: "审核通过后，检查通知、文书、工单进度和预约提醒都会出现在这里。 Once approved, inspection notices, documents, complaint progress and booking reminders will appear here.",
			Link: "/account/application"})
	})
	return taken, err
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

// Package demo loads a small, fictional but realistic data set: bodies, enterprises in several
// industries and counties, and one login per role. Loading it twice changes nothing but passwords.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// Login is a demo account to print.
type Login struct {
	Username string
	Role     account.Role
	Note     string
}

type demoBody struct{ zh, en, short, county string }

var bodies = []demoBody{
	{"温州市市场监督管理局", "Wenzhou Administration for Market Regulation", "市场监管局", ""},
	{"温州市生态环境局", "Wenzhou Ecology and Environment Bureau", "生态环境局", ""},
	{"温州市应急管理局", "Wenzhou Emergency Management Bureau", "应急管理局", ""},
	{"鹿城区综合行政执法局", "Lucheng Comprehensive Administrative Enforcement Bureau", "鹿城综合执法局", "330302"},
	{"瑞安市市场监督管理局", "Rui'an Administration for Market Regulation", "瑞安市场监管局", "330381"},
}

type demoEnterprise struct{ name, county, industry, contact, mobile, credit string }

// The first two get the logins ent-a and ent-b. All names are made up.
var enterprises = []demoEnterprise{
	{"温州鹿城新锐鞋业有限公司", "330302", "footwear", "陈晓东", "13805770001", "A"},
	{"瑞安市恒泰汽摩配件有限公司", "330381", "auto_parts", "林海燕", "13905770002", "B"},
	{"乐清市明辉电气有限公司", "330382", "electrical", "郑伟", "13705770003", "A"},
	{"温州龙湾海润泵阀有限公司", "330303", "pumps_valves", "黄丽", "13605770004", "B"},
	{"温州瓯海云帆服装有限公司", "330304", "apparel", "周杰", "13505770005", "C"},
	{"温州智造新能源科技有限公司", "330303", "new_energy", "吴敏", "13405770006", "A"},
	{"永嘉县瓯江食品有限公司", "330324", "food", "徐芳", "13305770007", "B"},
	{"平阳县精工智能装备有限公司", "330326", "smart_mfg", "王强", "13205770008", "B"},
}

// USCC builds a valid credit code for the i-th demo enterprise in county.
func USCC(county string, i int) string {
	first := fmt.Sprintf("91%sMA2H%05d", county, i)
	c, _ := account.USCCCheckChar(first)
	return first + string(c)
}

// Load writes the demo data and sets every demo login's password.
func Load(ctx context.Context, st *store.Store, password string, now time.Time) ([]Login, error) {
	if p := account.PasswordProblem(password); p != "" {
		return nil, fmt.Errorf("demo: QIJIAN_DEMO_PASSWORD: %s (at least 10 characters)", p)
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var logins []Login
	err = st.WithTx(ctx, func(ctx context.Context) error {
		bodyIDs := map[string]uint{}
		existing, err := st.Bodies(ctx)
		if err != nil {
			return err
		}
		for _, b := range existing {
			bodyIDs[b.NameZh] = b.ID
		}
		announced := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		for _, b := range bodies {
			if bodyIDs[b.zh] != 0 {
				continue
			}
			row := &account.Body{NameZh: b.zh, NameEn: b.en, Short: b.short, CountyCode: b.county, Qualified: true, AnnouncedOn: &announced, CreatedAt: now, UpdatedAt: now}
			if err := st.SaveBody(ctx, row); err != nil {
				return err
			}
			bodyIDs[b.zh] = row.ID
		}
		entIDs := make([]uint, len(enterprises))
		for i, e := range enterprises {
			code := USCC(e.county, i+1)
			got, err := st.EnterpriseByUSCC(ctx, code)
			if errors.Is(err, store.ErrNotFound) {
				got = &account.Enterprise{USCC: code, Name: e.name, CountyCode: e.county, Industry: e.industry, ContactName: e.contact, Mobile: e.mobile, CreditGrade: e.credit, CreatedAt: now, UpdatedAt: now}
				err = st.CreateEnterprise(ctx, got)
			}
			if err != nil {
				return err
			}
			entIDs[i] = got.ID
		}
		scj := bodyIDs["温州市市场监督管理局"]
		if err := loadInspectors(ctx, st, scj, bodyIDs["鹿城区综合行政执法局"], announced); err != nil {
			return err
		}
		for _, b := range bodies {
			for year := 2025; year <= 2027; year++ {
				if _, err := st.PlanOf(ctx, bodyIDs[b.zh], year); err == nil {
					continue
				}
				pub := time.Date(year, 2, 20, 9, 0, 0, 0, time.UTC)
				if err := st.SavePlan(ctx, &store.Plan{BodyID: bodyIDs[b.zh], Year: year, Title: fmt.Sprintf("%s %d 年度行政检查计划", b.short, year), PublishedOn: &pub, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
		}
		var providerID uint
		users := []account.User{
			{Username: "ent-a", Role: account.RoleEnterprise, DisplayName: "陈晓东", EnterpriseID: &entIDs[0], EnterpriseVerified: true},
			{Username: "ent-b", Role: account.RoleEnterprise, DisplayName: "林海燕", EnterpriseID: &entIDs[1], EnterpriseVerified: true},
			{Username: "liaison-lc", Role: account.RoleLiaison, DisplayName: "鹿城区司法局 监督联络员", CountyCode: "330302"},
			{Username: "liaison-city", Role: account.RoleLiaison, DisplayName: "温州市司法局 监督联络员"},
			{Username: "officer-scj", Role: account.RoleOfficer, DisplayName: "市场监管局 执法人员", BodyID: &scj},
			{Username: "obs-chamber", Role: account.RoleObserver, DisplayName: "鹿城区工商联观测点", OrgName: "鹿城区工商业联合会（总商会）观测点"},
			{Username: "provider-1", Role: account.RoleProvider, DisplayName: "企检服务中心", OrgName: "温州市企检服务中心"},
			{Username: "operator-12345", Role: account.RoleOperator, DisplayName: "12345 话务员 李静", OrgName: "温州市12345政务服务便民热线"},
			{Username: "admin", Role: account.RoleAdmin, DisplayName: "系统管理员"},
		}
		for i := range users {
			u := users[i]
			got, err := st.UserByUsername(ctx, u.Username)
			switch {
			case errors.Is(err, store.ErrNotFound):
				u.PasswordHash, u.CreatedAt, u.UpdatedAt = hash, now, now
				if err := st.CreateUser(ctx, &u); err != nil {
					return err
				}
				got = &u
			case err != nil:
				return err
			default:
				if err := st.SetUserPassword(ctx, got.ID, hash); err != nil {
					return err
				}
			}
			if u.Role == account.RoleObserver {
				if err := st.AddObservationMember(ctx, got.ID, entIDs[0], now); err != nil {
					return err
				}
			}
			if u.Username == "ent-a" {
				// One demo person takes SMS and email, so the admin's outbox shows what they look like.
				if err := st.SavePrefs(ctx, &store.NotificationPrefs{UserID: got.ID, Lang: "zh", Mobile: "13800000001", Email: "chen@demo.qijian.test", SMS: true, EmailOn: true, UpdatedAt: now}); err != nil {
					return err
				}
			}
			logins = append(logins, Login{Username: u.Username, Role: u.Role, Note: u.DisplayName})
			if u.Role == account.RoleProvider {
				providerID = got.ID
			}
		}
		return loadCatalogue(ctx, st, providerID, now)
	})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return logins, nil
}

// loadInspectors gives two bodies their inspectors (SUBJ-2) and item lists (LIST-1), once.
func loadInspectors(ctx context.Context, st *store.Store, scj, lc uint, published time.Time) error {
	existing, err := st.InspectorsByID(ctx, []uint{1})
	if err != nil || len(existing) > 0 {
		return err
	}
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []store.Inspector{
		{Inspector: rules.Inspector{BodyID: scj, Name: "张明", CredentialNo: "浙A33030012345", ValidFrom: from, ValidTo: to, Active: true, Staff: rules.StaffKind("on_post")}},
		{Inspector: rules.Inspector{BodyID: scj, Name: "刘洋", CredentialNo: "浙A33030012346", ValidFrom: from, ValidTo: to, Active: true, Staff: rules.StaffKind("on_post")}},
		{Inspector: rules.Inspector{BodyID: scj, Name: "周平", CredentialNo: "—", ValidFrom: from, ValidTo: to, Active: true, Staff: rules.StaffKind("grid_worker")}},
		{Inspector: rules.Inspector{BodyID: lc, Name: "陈刚", CredentialNo: "浙A33030267890", ValidFrom: from, ValidTo: to, Active: true, Staff: rules.StaffKind("on_post")}},
	} {
		if err := st.SaveInspector(ctx, &p); err != nil {
			return err
		}
	}
	for _, it := range []store.InspectionItem{
		{Item: rules.Item{BodyID: scj, Name: "食品经营许可情况检查", LegalBasis: "《中华人民共和国食品安全法》第三十五条", Method: "现场检查、查阅资料", Standard: "持有有效食品经营许可证", PublishedOn: &published}},
		{Item: rules.Item{BodyID: scj, Name: "产品质量监督抽查", LegalBasis: "《中华人民共和国产品质量法》第十五条", Method: "抽样检验", Standard: "符合国家标准", PublishedOn: &published}},
		{Item: rules.Item{BodyID: scj, Name: "计量器具使用检查", LegalBasis: "《中华人民共和国计量法》第九条", Method: "现场检查", Standard: "强制检定合格", PublishedOn: &published}},
		{Item: rules.Item{BodyID: lc, Name: "户外广告设置检查", LegalBasis: "《浙江省城市市容和环境卫生管理条例》", Method: "现场检查", Standard: "经审批设置", PublishedOn: &published}},
	} {
		if err := st.SaveInspectionItem(ctx, &it); err != nil {
			return err
		}
	}
	return nil
}

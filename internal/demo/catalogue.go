package demo

import (
	"context"
	"strings"
	"time"

	"qijian/internal/booking"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/store"
)

type demoService struct {
	code, kind, zh, en, descZh, descEn, industries, mode string
	minutes                                              int
}

// The catalogue (seed §2.8 一): general services for every industry, and the menu-style
// (点餐式) services of the key industries the seed names.
var catalogue = []demoService{
	{"checkup", "checkup", "企业合规体检", "Compliance check-up", "执法人员便装上门或线上，对照检查事项清单逐项体检，出具体检报告；结果不纳入执法程序。", "Officers in plain clothes, on site or online, go through the inspection item list with you and write a report; the results are not part of any enforcement procedure.", "", "both", 90},
	{"risk", "risk", "风险评估", "Risk assessment", "结合信用和投诉数据评估企业经营中的执法风险点。", "An assessment of enforcement risks from credit and complaint data.", "", "online", 60},
	{"legal", "legal", "法律咨询", "Legal consultation", "风控法务服务中心律师一对一解答。", "One-to-one answers from the legal service centre's lawyers.", "", "both", 45},
	{"menu-footwear", "menu", "鞋革行业合规服务包", "Footwear and leather compliance package", "产品质量、消防安全、环保排放专项指导。", "Product quality, fire safety and emissions guidance.", "footwear", "onsite", 120},
	{"menu-electrical", "menu", "电气行业合规服务包", "Electrical equipment compliance package", "CCC 认证、计量和标准合规指导。", "CCC certification, metrology and standards guidance.", "electrical", "onsite", 120},
	{"menu-auto", "menu", "汽摩配行业合规服务包", "Auto and motorcycle parts compliance package", "产品召回、质量追溯和安全生产指导。", "Recalls, quality traceability and work safety guidance.", "auto_parts", "onsite", 120},
	{"menu-pumps", "menu", "泵阀行业合规服务包", "Pumps and valves compliance package", "特种设备、能效标识和出口合规指导。", "Special equipment, energy labels and export compliance guidance.", "pumps_valves", "onsite", 120},
	{"menu-apparel", "menu", "服装行业合规服务包", "Apparel compliance package", "纤维成分标识、安全技术类别和消防指导。", "Fibre labelling, safety categories and fire safety guidance.", "apparel", "onsite", 120},
	{"menu-energy", "menu", "新能源行业合规服务包", "New energy compliance package", "电池安全、危险化学品和环评合规指导。", "Battery safety, hazardous chemicals and environmental assessment guidance.", "new_energy", "both", 120},
	{"menu-smart", "menu", "智能制造行业合规服务包", "Smart manufacturing compliance package", "数据安全、设备安全和知识产权合规指导。", "Data security, machine safety and IP compliance guidance.", "smart_mfg,digital", "both", 120},
}

// loadCatalogue gives the demo provider its services with a weekday schedule, once, and opens
// their slots for the weeks ahead.
func loadCatalogue(ctx context.Context, st *store.Store, providerID uint, now time.Time) error {
	have, err := st.Services(ctx, true)
	if err != nil || len(have) > 0 {
		return err
	}
	svc := &booking.Service{St: st, Cal: calendar.New(), Clock: clock.NewFake(now)}
	for _, d := range catalogue {
		row := &store.Service{Code: d.code, Kind: d.kind, NameZh: d.zh, NameEn: d.en, DescZh: d.descZh, DescEn: d.descEn, Industries: strings.FieldsFunc(d.industries, func(r rune) bool { return r == ',' }),
			Minutes: d.minutes, Mode: d.mode, ProviderID: providerID, Active: true, CreatedAt: now, UpdatedAt: now}
		if err := st.SaveService(ctx, row); err != nil {
			return err
		}
		var rules []store.AvailabilityRule
		for wd := time.Monday; wd <= time.Friday; wd++ {
			rules = append(rules, store.AvailabilityRule{Weekday: int(wd), Start: "09:00", Capacity: 2}, store.AvailabilityRule{Weekday: int(wd), Start: "14:00", Capacity: 1})
		}
		if err := st.ReplaceRules(ctx, row.ID, rules); err != nil {
			return err
		}
	}
	return svc.RefreshAll(ctx)
}

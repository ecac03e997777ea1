package grievance

import (
	"context"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/message"
	"qijian/internal/store"
)

var shanghai = calendar.Location()

// Notification texts name the order number only, never the enterprise, so an anonymous
// reporter's identity cannot leak to a handling unit through a message. An anonymous order's
// number and link are its references (ref.go), and what liaisons and the unit are told of it
// carries its time to the hour (staffTime), as its view does.

func (s *Service) notifyFiler(ctx context.Context, o *store.WorkOrder, now time.Time, kind, zh, en string) error {
	if o.Source == string(lifecycle.SourceSystem) {
		return nil // a clue the system raised has no filer to tell
	}
	if o.Source == string(lifecycle.SourcePhone) {
		// The caller is the filer: the enterprise's logins are told what a web filer is; the
		// operator who took the call is not (its list shows the orders it took).
		ids, err := s.St.EnterpriseUserIDs(ctx, []uint{o.EnterpriseID})
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := message.Send(ctx, s.St, now, message.Message{UserID: id, Kind: kind, TitleZh: zh, TitleEn: en, Link: s.orderLink(o)}); err != nil {
				return err
			}
		}
		return nil
	}
	return message.Send(ctx, s.St, now, message.Message{UserID: o.FiledByUserID, Kind: kind, TitleZh: zh, TitleEn: en, Link: s.orderLink(o)})
}

func (s *Service) orderLink(o *store.WorkOrder) string { return "/complaints/" + itoa(s.extID(o)) }

// staffTime is when a notice to anyone but the filer is dated: for an anonymous order, to the
// hour, so that an inbox does not tell to the second when the reporter did something.
func staffTime(o *store.WorkOrder, now time.Time) time.Time {
	if o.Anonymous {
		return now.Truncate(time.Hour)
	}
	return now
}

func (s *Service) notifyLiaisons(ctx context.Context, o *store.WorkOrder, now time.Time, zh, en string) error {
	users, err := s.St.Liaisons(ctx)
	if err != nil {
		return err
	}
	return s.notifyLiaisonsIn(ctx, users, o, now, zh, en)
}

// notifyLiaisonsIn tells those of the given liaisons who cover o's county.
func (s *Service) notifyLiaisonsIn(ctx context.Context, users []account.User, o *store.WorkOrder, now time.Time, zh, en string) error {
	for _, u := range users {
		if u.Disabled || (u.CountyCode != "" && u.CountyCode != o.CountyCode) {
			continue
		}
		if err := message.Send(ctx, s.St, staffTime(o, now), message.Message{UserID: u.ID, Kind: "order.staff", TitleZh: zh, TitleEn: en, Link: s.orderLink(o)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) notifyUnit(ctx context.Context, o *store.WorkOrder, now time.Time, zh, en string) error {
	if o.UnitBodyID == nil {
		return nil
	}
	users, err := s.St.UsersByBody(ctx, *o.UnitBodyID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled {
			continue
		}
		if err := message.Send(ctx, s.St, staffTime(o, now), message.Message{UserID: u.ID, Kind: "order.unit", TitleZh: zh, TitleEn: en, Link: s.orderLink(o)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) notifyStaff(ctx context.Context, o *store.WorkOrder, now time.Time, kind, zh, en string) error {
	if err := s.notifyLiaisons(ctx, o, now, zh, en); err != nil {
		return err
	}
	return s.notifyUnit(ctx, o, now, zh, en)
}

var actionZh = map[lifecycle.Action]string{
	lifecycle.Accept: "已受理", lifecycle.Dispatch: "已派单", lifecycle.Transfer: "已转办", lifecycle.Start: "办理中",
	lifecycle.Reply: "已答复", lifecycle.Return: "已退单", lifecycle.StartFollow: "回访中", lifecycle.Close: "已办结",
	lifecycle.Reopen: "已重办", lifecycle.Reroute: "已调整渠道", lifecycle.Assign: "已分配", lifecycle.Classify: "已重新分类", lifecycle.Escalate: "已督办", lifecycle.RequestInfo: "需补充材料", lifecycle.Message: "有新留言", lifecycle.Rate: "已评价",
	lifecycle.Sign: "已签收", lifecycle.RefuseReturn: "退单未获认可，退回原单位办理", lifecycle.AskExtension: "申请延期", lifecycle.ApproveExtension: "延期已批准",
	lifecycle.RefuseExtension: "延期未获批准", lifecycle.SupplyInfo: "已补充材料", lifecycle.RecordFollowUp: "已回访", lifecycle.FollowUpFailed: "回访未联系上",
	lifecycle.Rehandle:   "回访不满意，退回重办",
	lifecycle.MarkUrgent: "已标为紧急", lifecycle.ClearUrgent: "已取消紧急标记",
	lifecycle.DismissClue: "线索已排除", lifecycle.MergeClue: "线索已合并", lifecycle.ConvertClue: "线索已转为工单",
}

// notifyChange tells everyone concerned: the filer of each step, the unit when it receives or
// loses an order, liaisons when the unit bounces it or it escalates.
func (s *Service) notifyChange(ctx context.Context, o *store.WorkOrder, act lifecycle.Action, now time.Time) error {
	if partsAction(act) {
		return nil // merges and co-handling tell their own (merge.go)
	}
	zh := "工单 " + o.Number + " " + actionZh[act]
	en := "Work order " + o.Number + ": " + string(act)
	if act == lifecycle.Escalate && o.Level > 0 && o.Level <= lifecycle.MaxLevel {
		// Each rung is its own news: say which one the order reached.
		zh = "工单 " + o.Number + " 已升级为" + lifecycle.LevelNames[o.Level][0]
		en = "Work order " + o.Number + " raised to: " + lifecycle.LevelNames[o.Level][1]
	}
	if act != lifecycle.Rate && act != lifecycle.Assign {
		if err := s.notifyFiler(ctx, o, now, "order."+string(act), zh, en); err != nil {
			return err
		}
	}
	switch act {
	case lifecycle.Dispatch, lifecycle.Transfer, lifecycle.RefuseReturn, lifecycle.Rehandle:
		return s.notifyUnit(ctx, o, now, "新派工单："+o.Number, "Work order dispatched to you: "+o.Number)
	case lifecycle.Return, lifecycle.Reopen, lifecycle.Rate, lifecycle.AskExtension, lifecycle.SupplyInfo:
		return s.notifyLiaisons(ctx, o, now, zh, en)
	case lifecycle.ApproveExtension, lifecycle.RefuseExtension:
		return s.notifyUnit(ctx, o, now, zh, en)
	case lifecycle.Escalate:
		return s.notifyStaff(ctx, o, now, "order.escalate", zh, en)
	case lifecycle.Message:
		return s.notifyStaff(ctx, o, now, "order.message", zh, en)
	}
	return nil
}

func itoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

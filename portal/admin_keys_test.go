package portal

import (
	"testing"

	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/internal/signin"
)

// The admin and sign-in use cases state their refusals with message keys; each must have both
// texts, or a page would show the bare key.
func TestAdminAndSignInRefusalsHaveMessages(t *testing.T) {
	t.Parallel()
	for _, e := range []*errs.Error{signin.ErrBadCredentials, signin.ErrNoSession, signin.ErrLocked, signin.ErrClaimDecided, signin.ErrNeedsLicence, signin.ErrNeedsContact, signin.ErrNeedsReason, signin.ErrLicenceTooBig,
		admin.ErrForbidden, admin.ErrNotFound, admin.ErrDisableSelf, admin.ErrUsernameTaken, admin.ErrBodyNameTaken} {
		keys := []string{e.Key}
		for _, k := range e.Fields {
			keys = append(keys, k)
		}
		for _, k := range keys {
			if m, ok := messages[k]; !ok || m[0] == "" || m[1] == "" {
				t.Errorf("%s: key %q lacks a text", e.Code, k)
			}
		}
	}
}

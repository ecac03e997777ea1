package config

import (
	"errors"
	"testing"
)

func TestOIDCSettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{"QIJIAN_DATA_DIR": t.TempDir(), "QIJIAN_SECRET": "0123456789abcdef0123456789abcdef"}
	get := func(k string) string { return env[k] }
	if c, err := Load(nil, get); err != nil || c.OIDCIssuer != "" || c.OIDCUSCCClaim != "uscc" {
		t.Fatalf("default: %+v %v", c, err)
	}
	var ce *Error
	env["QIJIAN_OIDC_ISSUER"] = "https://id.example.gov.cn"
	if _, err := Load(nil, get); !errors.As(err, &ce) || ce.Var != "QIJIAN_OIDC_CLIENT_ID" {
		t.Fatalf("an issuer without a client: %v", err)
	}
	env["QIJIAN_OIDC_CLIENT_ID"], env["QIJIAN_OIDC_CLIENT_SECRET"], env["QIJIAN_OIDC_USCC_CLAIM"] = "qijian", "s3cret", "credit_code"
	if c, err := Load(nil, get); err != nil || c.OIDCClientID != "qijian" || c.OIDCUSCCClaim != "credit_code" {
		t.Fatalf("full: %+v %v", c, err)
	}
	env["QIJIAN_OIDC_ISSUER"] = "id.example.gov.cn"
	if _, err := Load(nil, get); !errors.As(err, &ce) || ce.Var != "QIJIAN_OIDC_ISSUER" {
		t.Fatalf("a bad issuer: %v", err)
	}
}

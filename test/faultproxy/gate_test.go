package faultproxy

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
)

// refuseCreate refuses CreateRole with AccessDenied and remembers what it saw.
type refuseCreate struct{ seen []Call }

func (g *refuseCreate) Admit(_ context.Context, c Call) *Refusal {
	g.seen = append(g.seen, c)
	if c.Action == "CreateRole" {
		return &Refusal{Status: http.StatusForbidden, Code: "AccessDenied", Message: "not authorized"}
	}
	return nil
}

func TestGateRefusalIsIAMsAccessDenied(t *testing.T) {
	p, client := setup(t, 3)
	g := &refuseCreate{}
	p.SetGate(g)
	ctx := t.Context()

	err := createRole(ctx, client, "gated")
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "AccessDenied" {
		t.Fatalf("CreateRole err = %v, want API error AccessDenied", err)
	}
	var nse *types.NoSuchEntityException
	if _, err := direct(t).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gated")}); !errors.As(err, &nse) {
		t.Fatalf("refused CreateRole reached moto: GetRole err = %v", err)
	}
	if _, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gated")}); !errors.As(err, &nse) {
		t.Errorf("admitted GetRole: err = %v, want moto's NoSuchEntity", err)
	}
	reqs := p.Requests()
	if len(reqs) != 2 || reqs[0].Refused != "AccessDenied" || reqs[0].Status != http.StatusForbidden || reqs[1].Refused != "" {
		t.Errorf("recorded %+v, want a refused CreateRole (403) then an admitted GetRole", reqs)
	}
	if got := g.seen[0]; got.Service != "iam" || got.Params.Get("RoleName") != "gated" {
		t.Errorf("gate saw %+v, want service iam and the form parameters", got)
	}

	// A fault rule answers before the gate is asked.
	p.Add(FailNth("CreateRole", 1, http.StatusConflict, "EntityAlreadyExists"))
	var exists *types.EntityAlreadyExistsException
	if err := createRole(ctx, client, "gated"); !errors.As(err, &exists) {
		t.Errorf("with a fault rule: err = %v, want the injected EntityAlreadyExists", err)
	}
	p.SetGate(nil)
	if err := createRole(ctx, client, "gated"); err != nil {
		t.Errorf("without a gate: %v", err)
	}
}

func TestLandTakesEffectThoughTheClientGaveUp(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delay time.Duration
	}{{"lands at once", 0}, {"lands after a delay", 600 * time.Millisecond}, {"lands when the client gives up", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			p, client := setup(t, 1)
			p.Add(Rule{Action: "CreateRole", Kind: Land, Delay: tc.delay})
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			if err := createRole(ctx, client, "late"); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the client's deadline", err)
			}
			waitForRole(t, "late", "the landed CreateRole never took effect")
			// moto shows the role before the proxy has read moto's answer: wait for the status to be recorded.
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if reqs := p.Requests(); len(reqs) == 1 && reqs[0].Status != 0 {
					break
				}
			}
			if reqs := p.Requests(); len(reqs) != 1 || reqs[0].Injected != Land || reqs[0].Status != http.StatusOK {
				t.Errorf("recorded %+v, want one landed CreateRole with moto's 200", reqs)
			}
		})
	}
}

// Command demo runs the provider binary through a whole CloudFormation lifecycle on this machine: it builds
// lambda/cmd/bootstrap, starts moto (IAM, S3) and a Lambda Runtime API, then sends Create, an in-place Update and
// Delete for a sample's properties, printing each response CloudFormation would read and the role as IAM holds it.
//
//	go run ./test/cmd/demo [-sample FILE]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

func main() {
	sample := flag.String("sample", "test/testdata/properties/everything.yaml", "Custom::GroundTruthExecutionRole properties (YAML or JSON)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *sample, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, sample string, out io.Writer) error {
	data, err := os.ReadFile(sample)
	if err != nil {
		return err
	}
	props, err := propfile.Decode(data)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "gtrole-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	step(out, "build", "go build -tags lambda.norpc ./lambda/cmd/bootstrap (for this machine's architecture)")
	binary, err := runtimeapi.Build(ctx, "./lambda/cmd/bootstrap", dir)
	if err != nil {
		return err
	}
	h, err := harness.Start(ctx, binary)
	if err != nil {
		return err
	}
	defer h.Close()
	rt, err := h.Runtime(ctx, runtimeapi.Options{Timeout: 60 * time.Second})
	if err != nil {
		return err
	}
	defer rt.Stop()
	fmt.Fprintf(out, "moto at %s, Runtime API at %s, provider initialised in %s\n", h.Moto.URL(), rt.Addr(), rt.InitDuration().Round(time.Microsecond))

	step(out, "Create", sample)
	created, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestCreate, Props: props})
	if err != nil {
		return err
	}
	if err := show(ctx, out, h, created.PhysicalResourceID); err != nil {
		return err
	}

	updated := map[string]any{}
	for k, v := range props {
		updated[k] = v
	}
	updated["Description"] = "updated in place by make demo"
	updated["Tags"] = []any{map[string]any{"Key": "stage", "Value": "demo"}}
	step(out, "Update (in place)", "Description and Tags changed")
	if _, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: created.PhysicalResourceID, Props: updated, OldProps: props}); err != nil {
		return err
	}
	if err := show(ctx, out, h, created.PhysicalResourceID); err != nil {
		return err
	}

	step(out, "Delete", created.PhysicalResourceID)
	if _, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: created.PhysicalResourceID, Props: updated}); err != nil {
		return err
	}
	names, err := h.RoleNames(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "roles left in IAM: %d %v\n", len(names), names)
	if len(names) != 0 {
		return errors.New("the Delete left a role behind")
	}
	return nil
}

func step(out io.Writer, name, detail string) {
	fmt.Fprintf(out, "\n=== %s: %s\n", name, detail)
}

func send(ctx context.Context, out io.Writer, h *harness.Harness, rt *runtimeapi.Runtime, req harness.Request) (cfn.Response, error) {
	d, err := h.Send(ctx, rt, req)
	if err != nil {
		return cfn.Response{}, err
	}
	fmt.Fprintf(out, "CloudFormation received (%d bytes, answered in %s):\n", len(d.Body), d.Invocation.Elapsed.Round(time.Millisecond))
	printJSON(out, d.Response)
	if d.Response.Status != cfn.StatusSuccess {
		return d.Response, fmt.Errorf("%s answered %s: %s", req.Type, d.Response.Status, d.Response.Reason)
	}
	return d.Response, nil
}

func show(ctx context.Context, out io.Writer, h *harness.Harness, name string) error {
	role, err := h.Describe(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "IAM holds:")
	printJSON(out, role)
	return nil
}

func printJSON(out io.Writer, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(out, "(unprintable: %v)\n", err)
		return
	}
	fmt.Fprintf(out, "%s\n", b)
}

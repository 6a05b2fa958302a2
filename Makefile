# Custom::GroundTruthExecutionRole: a CloudFormation custom resource that makes least-privilege
# SageMaker Ground Truth execution roles. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
GOARCH    ?= arm64
BUILD_DIR := build
SAMPLE    ?= test/testdata/properties/everything.yaml
PIP       ?= python3 -m pip
DIST      := dist
# Go packages of the project; ./... would also reach the Go init templates inside node_modules.
PKGS      := ./lambda/... ./cdk/... ./templates/... ./test/...
CDK       := npx --no-install cdk
PROVIDER_STACK ?= GroundTruthRoleProvider

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: tools
tools: ## install the local test stand-ins (moto, cfn-lint) when missing
	@command -v moto_server >/dev/null || $(PIP) install 'moto[server]==5.2.1'
	@command -v cfn-lint >/dev/null || $(PIP) install 'cfn-lint==1.51.0'

.PHONY: build
build: ## build the Lambda: build/bootstrap (linux/arm64, GOARCH= to change) zipped as build/bootstrap.zip
	@mkdir -p $(BUILD_DIR)
	CGO_ENABLED=0 GOOS=linux GOARCH=$(GOARCH) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w -buildid=' \
		-o $(BUILD_DIR)/bootstrap ./lambda/cmd/bootstrap
	@rm -f $(BUILD_DIR)/bootstrap.zip
	cd $(BUILD_DIR) && python3 -m zipfile -c bootstrap.zip bootstrap
	@ls -l $(BUILD_DIR)/bootstrap $(BUILD_DIR)/bootstrap.zip

.PHONY: demo
demo: tools ## the main job, locally: the provider binary through Create, Update and Delete against moto (SAMPLE=file)
	$(GO) run ./test/cmd/demo -sample $(SAMPLE)

.PHONY: render
render: ## render the role for a sample's properties (SAMPLE=file)
	$(GO) run ./lambda/cmd/gtrole render $(SAMPLE)

.PHONY: vet
vet: ## go vet and gofmt
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt needed'; exit 1; }
	$(GO) vet $(PKGS)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@# The CLI ships Go init templates; a go.mod of their own keeps them out of `go build ./...`.
	@echo 'module node_modules' > node_modules/go.mod

.PHONY: node-modules
node-modules: node_modules/.package-lock.json ## install the pinned CDK CLI from package-lock.json

.PHONY: test
test: tools node-modules vet ## run every test (unit, golden, fuzz seed corpus, e2e, CDK, templates)
	$(GO) test -count=1 -timeout 60m $(PKGS)

.PHONY: lint
lint: tools vet ## gofmt, go vet and cfn-lint on every template
	cfn-lint templates/*.yaml

.PHONY: bench
bench: ## benchmarks: policy generation, cold starts, RSS and IAM calls of the compiled provider
	$(GO) test -run '^$$' -bench . -benchmem ./lambda/policy ./lambda/protocol
	$(GO) test -run '^$$' -bench . -benchtime 1x ./test/e2e

.PHONY: coldstart
coldstart: ## cold start of the provider vs the Go floor, Node.js and Python IAM clients (median ms, peak RSS, ratio)
	$(GO) run ./test/cmd/coldstart -peers

.PHONY: synth
synth: build node-modules ## synthesize the CDK app (offline, no credentials) into cdk.out
	$(CDK) synth --quiet --no-notices

.PHONY: deploy
deploy: build node-modules ## deploy the provider stack to the current AWS account (cdk deploy; needs cdk bootstrap once)
	$(CDK) deploy $(PROVIDER_STACK) --require-approval broadening --no-notices

.PHONY: package
package: build ## what a user uploads: dist/bootstrap.zip and dist/templates, with SHA-256 sums
	@rm -rf $(DIST) && mkdir -p $(DIST)/templates
	cp $(BUILD_DIR)/bootstrap.zip $(DIST)/
	cp templates/*.yaml $(DIST)/templates/
	cd $(DIST) && sha256sum bootstrap.zip templates/*.yaml > SHA256SUMS
	@echo "upload $(DIST)/bootstrap.zip to S3, then deploy $(DIST)/templates/provider.yaml with CodeBucket/CodeKey"

.PHONY: integ
integ: ## the lifecycle against real IAM (AWS credentials) or LocalStack (AWS_ENDPOINT_URL); skipped without either
	$(GO) test -tags integration -count=1 -v ./test/integ/...

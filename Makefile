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

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: tools
tools: ## install the local test stand-ins (moto, cfn-lint) when missing
	@command -v moto_server >/dev/null || $(PIP) install 'moto[server]==5.2.1'
	@command -v cfn-lint >/dev/null || $(PIP) install 'cfn-lint==1.51.0'

.PHONY: render
render: ## render the role for a sample's properties (SAMPLE=file)
	$(GO) run ./lambda/cmd/gtrole render $(SAMPLE)

.PHONY: vet
vet: ## go vet and gofmt
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt needed'; exit 1; }
	$(GO) vet ./...

.PHONY: test
test: tools vet ## run every test (unit, golden, fuzz seed corpus, e2e, CDK, templates)
	$(GO) test -count=1 ./...

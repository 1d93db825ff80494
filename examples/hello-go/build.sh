#!/bin/sh
# Build the function's executable, `handler`, for this machine. For the cloud, build it
# for Linux (GOOS=linux GOARCH=amd64 CGO_ENABLED=0) and zip it.
# The runtime library comes from the directory go.mod's replace names: no download.
set -e
cd "$(dirname "$0")"
GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 go build -o handler .

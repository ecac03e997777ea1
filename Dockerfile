# One static binary (pure-Go SQLite, no cgo) on a small Debian base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/qijian ./cmd/qijian

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata wget \
 && rm -rf /var/lib/apt/lists/* && useradd --system --home /data qijian && mkdir -p /data && chown qijian /data
COPY --from=build /out/qijian /usr/local/bin/qijian
USER qijian
ENV QIJIAN_ADDR=0.0.0.0:8080 QIJIAN_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["qijian"]
CMD ["serve"]

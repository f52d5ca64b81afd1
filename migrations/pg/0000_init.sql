CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint,
	"revoked" boolean DEFAULT false NOT NULL,
	CONSTRAINT "api_tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"run_id" integer,
	"series_key" text,
	"from_step" double precision,
	"to_step" double precision,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecast_cache" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"key" text NOT NULL,
	"last_step" double precision NOT NULL,
	"schedule_hash" text NOT NULL,
	"model" text NOT NULL,
	"result" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint,
	"size_bytes" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_offsets" (
	"id" serial PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"plugin" text NOT NULL,
	"offset" bigint DEFAULT 0 NOT NULL,
	"fingerprint" text DEFAULT '' NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	"mtime" double precision DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'null' NOT NULL,
	"run_keys" text DEFAULT '[]' NOT NULL,
	"halted" boolean DEFAULT false NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "ingest_offsets_path_unique" UNIQUE("path")
);
--> statement-breakpoint
CREATE TABLE "points" (
	"series_id" integer NOT NULL,
	"step" bigint NOT NULL,
	"value" double precision,
	"wall_time" double precision,
	CONSTRAINT "points_series_id_step_pk" PRIMARY KEY("series_id","step")
);
--> statement-breakpoint
CREATE TABLE "project_scopes" (
	"id" serial PRIMARY KEY NOT NULL,
	"key_prefix" text NOT NULL,
	"project" text NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "project_scopes_key_prefix_unique" UNIQUE("key_prefix")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "projects_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"project_id" integer NOT NULL,
	"name" text NOT NULL,
	"group" text,
	"status" text DEFAULT 'unknown' NOT NULL,
	"status_source" text,
	"steps_planned" bigint,
	"steps_planned_source" text,
	"summary" text DEFAULT '{}' NOT NULL,
	"stop_verdict" text,
	"config" text DEFAULT '{}' NOT NULL,
	"tags" text DEFAULT '[]' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"schedule" text,
	"params" double precision,
	"tokens_per_step" double precision,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "runs_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "series" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"key" text NOT NULL,
	"points" bigint DEFAULT 0 NOT NULL,
	"first_step" double precision,
	"last_step" double precision,
	"last_value" double precision,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "forecast_cache" ADD CONSTRAINT "forecast_cache_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points" ADD CONSTRAINT "points_series_id_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_run_idx" ON "events" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "forecast_cache_key_idx" ON "forecast_cache" USING btree ("run_id","key","last_step","schedule_hash","model");--> statement-breakpoint
CREATE INDEX "runs_project_idx" ON "runs" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "series_run_key_idx" ON "series" USING btree ("run_id","key");
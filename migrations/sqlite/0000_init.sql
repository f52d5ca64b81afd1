CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_unique` ON `api_tokens` (`hash`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`run_id` integer,
	`series_key` text,
	`from_step` real,
	`to_step` real,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_run_idx` ON `events` (`run_id`);--> statement-breakpoint
CREATE TABLE `forecast_cache` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`last_step` real NOT NULL,
	`schedule_hash` text NOT NULL,
	`model` text NOT NULL,
	`result` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forecast_cache_key_idx` ON `forecast_cache` (`run_id`,`key`,`last_step`,`schedule_hash`,`model`);--> statement-breakpoint
CREATE TABLE `ingest_offsets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`path` text NOT NULL,
	`plugin` text NOT NULL,
	`offset` integer DEFAULT 0 NOT NULL,
	`fingerprint` text DEFAULT '' NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`mtime` real DEFAULT 0 NOT NULL,
	`state` text DEFAULT 'null' NOT NULL,
	`run_keys` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ingest_offsets_path_unique` ON `ingest_offsets` (`path`);--> statement-breakpoint
CREATE TABLE `points` (
	`series_id` integer NOT NULL,
	`step` integer NOT NULL,
	`value` real,
	`wall_time` real,
	PRIMARY KEY(`series_id`, `step`),
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_name_unique` ON `projects` (`name`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`project_id` integer NOT NULL,
	`name` text NOT NULL,
	`group` text,
	`status` text DEFAULT 'unknown' NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`schedule` text,
	`params` real,
	`tokens_per_step` real,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_key_unique` ON `runs` (`key`);--> statement-breakpoint
CREATE INDEX `runs_project_idx` ON `runs` (`project_id`);--> statement-breakpoint
CREATE TABLE `series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`first_step` real,
	`last_step` real,
	`last_value` real,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `series_run_key_idx` ON `series` (`run_id`,`key`);
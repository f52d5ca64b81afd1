ALTER TABLE `forecast_cache` ADD `last_used_at` integer;--> statement-breakpoint
ALTER TABLE `forecast_cache` ADD `size_bytes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `status_source` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `steps_planned` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `steps_planned_source` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `summary` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `stop_verdict` text;
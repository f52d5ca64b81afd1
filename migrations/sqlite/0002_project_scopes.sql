CREATE TABLE `project_scopes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key_prefix` text NOT NULL,
	`project` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_scopes_key_prefix_unique` ON `project_scopes` (`key_prefix`);
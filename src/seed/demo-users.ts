// One demo user per role, in a fake workspace, so every screen has someone to show, with access to the demo
// environments: the operators as users, the viewer as a viewer, and one operator the admin of staging.
import type { PrismaClient } from "../db/database.js";
import type { EnvironmentLevel } from "../services/actor.js";
import type { DemoEnvironment } from "./demo-environments.js";
import type { SeedCounts } from "./seed-counts.js";

export const DEMO_TEAM_ID = "T0DEMO0001";

export type DemoRole = "admin" | "operator" | "viewer";

export interface DemoUser {
  slackUserId: string;
  displayName: string;
  email: string;
  role: DemoRole;
  /** May be made an environment's admin (and is one where `access` says `admin`). */
  envAdmin?: boolean;
  /** Access to the demo environments (a global admin needs none). */
  access?: Partial<Record<DemoEnvironment, EnvironmentLevel>>;
}

const EVERY_ENVIRONMENT_AS = (level: EnvironmentLevel) => ({ production: level, staging: level, demo: level });

export const DEMO_USERS: readonly DemoUser[] = [
  { slackUserId: "U0DEMOADMIN", displayName: "Morgan Lee", email: "morgan.lee@example.com", role: "admin", envAdmin: true },
  // Staging's admin: may force and override there, export its audit, and sees its whole audit log.
  { slackUserId: "U0DEMOOPS1", displayName: "Priya Natarajan", email: "priya.natarajan@example.com", role: "operator", envAdmin: true, access: { ...EVERY_ENVIRONMENT_AS("user"), staging: "admin" } },
  { slackUserId: "U0DEMOOPS2", displayName: "Diego Alvarez", email: "diego.alvarez@example.com", role: "operator", access: EVERY_ENVIRONMENT_AS("user") },
  { slackUserId: "U0DEMOVIEW", displayName: "Sam Chen", email: "sam.chen@example.com", role: "viewer", access: EVERY_ENVIRONMENT_AS("viewer") },
];

export function demoUser(slackUserId: string): DemoUser {
  const user = DEMO_USERS.find((candidate) => candidate.slackUserId === slackUserId);
  if (!user) throw new Error(`Unknown demo user ${slackUserId}`);
  return user;
}

/** Creates the missing demo users; returns database ids by Slack user id. */
export async function seedUsers(prisma: PrismaClient, counts: SeedCounts, now: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const user of DEMO_USERS) {
    const key = { teamId: DEMO_TEAM_ID, slackUserId: user.slackUserId };
    let row = await prisma.user.findUnique({ where: { teamId_slackUserId: key } });
    if (!row) {
      row = await prisma.user.create({
        data: { ...key, displayName: user.displayName, email: user.email, role: user.role, envAdmin: user.envAdmin ?? false, lastSeenAt: now },
      });
      counts.users++;
    }
    ids.set(user.slackUserId, row.id);
  }
  return ids;
}

/** Gives each demo user their access to the demo environments where they have none yet (run after the inventory). */
export async function seedAccess(prisma: PrismaClient, counts: SeedCounts, userIds: Map<string, number>, now: Date): Promise<void> {
  const granter = userIds.get(DEMO_USERS.find((user) => user.role === "admin")!.slackUserId) ?? null;
  for (const user of DEMO_USERS) {
    const userId = userIds.get(user.slackUserId);
    if (userId === undefined) continue;
    for (const [name, level] of Object.entries(user.access ?? {})) {
      const environment = await prisma.environment.findUnique({ where: { name }, select: { id: true } });
      if (!environment) continue; // an operator pruned it from the inventory
      const key = { environmentId_userId: { environmentId: environment.id, userId } };
      if (await prisma.environmentAccess.findUnique({ where: key })) continue;
      await prisma.environmentAccess.create({ data: { environmentId: environment.id, userId, level, grantedById: granter, grantedAt: now } });
      counts.environmentAccess++;
    }
  }
}

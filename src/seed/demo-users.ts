// One demo user per role, in a fake workspace, so every screen has someone to show.
import type { PrismaClient } from "../db/database.js";
import type { SeedCounts } from "./seed-counts.js";

export const DEMO_TEAM_ID = "T0DEMO0001";

export type DemoRole = "admin" | "operator" | "viewer";

export interface DemoUser {
  slackUserId: string;
  displayName: string;
  email: string;
  role: DemoRole;
  envAdmin?: boolean;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { slackUserId: "U0DEMOADMIN", displayName: "Morgan Lee", email: "morgan.lee@example.com", role: "admin", envAdmin: true },
  { slackUserId: "U0DEMOOPS1", displayName: "Priya Natarajan", email: "priya.natarajan@example.com", role: "operator" },
  { slackUserId: "U0DEMOOPS2", displayName: "Diego Alvarez", email: "diego.alvarez@example.com", role: "operator" },
  { slackUserId: "U0DEMOVIEW", displayName: "Sam Chen", email: "sam.chen@example.com", role: "viewer" },
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

// Who answers for an environment: the people told about (or asked to decide) what happens there.
import type { Db } from "../prisma-types.js";

/**
 * Its admins (an active, unexpired `admin` grant and the env_admin flag) and the global admins, active ones only,
 * never `exceptUserId` (the one who acted), in id order.
 */
export async function environmentAdminIds(db: Db, environmentId: number, at: Date, exceptUserId?: number): Promise<number[]> {
  const users = await db.user.findMany({
    where: {
      active: true,
      ...(exceptUserId === undefined ? {} : { id: { not: exceptUserId } }),
      OR: [
        { role: "admin" },
        { envAdmin: true, environmentAccess: { some: { environmentId, level: "admin", status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] } } },
      ],
    },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  return users.map((user) => user.id);
}

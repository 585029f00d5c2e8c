import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { usersCollection, type UserDoc } from '../server/src/identity/userService.ts';

// The seed acts as the demo people themselves, through the same commands as the API.
const asSessionUser = (u: UserDoc): SessionUser => ({
  id: u._id,
  username: u.username,
  fullName: u.fullName,
  email: u.email,
  roles: u.roles,
  via: 'session',
  totpEnrolled: false,
  mustChangePassword: false,
});

/** Every user by username, as the session user a command expects. */
export async function sessionUsers(s: Services): Promise<Map<string, SessionUser>> {
  return new Map((await usersCollection(s).find({}).toArray()).map((u) => [u.username, asSessionUser(u)]));
}

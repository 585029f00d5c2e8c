import { defineStore } from 'pinia';
import { adminApi } from '@/api/admin';
import type { Role, User } from '@/api/types';
import { useAuthStore } from './auth';
import { useLocaleStore } from './locale';

/**
 * Who a people picker offers (UserSelect, UserPick): active users, narrowed the way the server
 * judges the person named. `roles`: holding one of them; `allRoles`: holding every one (a delegate
 * for the roles handed over); `permission`: one of their roles grants it; `exclude`: never these
 * (separation of duties: the author, the owner, people already named elsewhere); `keep`: always
 * these (the current value, so it never shows as a bare id).
 */
export interface PickFilter {
  roles?: string[];
  allRoles?: string[];
  permission?: string;
  exclude?: string[];
  keep?: string[];
}

/**
 * People and roles to pick from (reviewers, approvers, trainees, owner filter).
 * Loaded once per session; a user who may not list them gets empty lists, not an error toast.
 */
export const useDirectoryStore = defineStore('directory', {
  state: () => ({ users: [] as User[], roles: [] as Role[], loaded: false }),
  getters: {
    activeUsers: (state) => state.users.filter((user) => user.status === 'active'),
    /** What the signed-in user may do, read from the server's role declarations (GET /roles). */
    permissions(state): Set<string> {
      const mine = useAuthStore().user?.roles ?? [];
      return new Set(state.roles.filter((role) => mine.includes(role.id)).flatMap((role) => role.permissions));
    },
    /** An auditor account: it reads through the auditor portal and nothing else. */
    portalOnly(): boolean {
      return this.permissions.has('portal.read') && !this.permissions.has('records.read');
    },
  },
  actions: {
    async load(force = false) {
      if (this.loaded && !force) return;
      const [users, roles] = await Promise.allSettled([adminApi.listUsers(true), adminApi.listRoles()]);
      this.users = users.status === 'fulfilled' ? users.value : [];
      this.roles = roles.status === 'fulfilled' ? roles.value : [];
      this.loaded = true;
    },
    /** A role's name in the current language (its id when the role is unknown). */
    roleName(id: string): string {
      const role = this.roles.find((candidate) => candidate.id === id);
      return role ? useLocaleStore().pickByCode(role.name) : id;
    },
    can(permission: string): boolean {
      return this.permissions.has(permission);
    },
    /** Whether one of `user`'s roles grants `permission` (people pickers filtered by role). */
    userCan(user: Pick<User, 'roles'>, permission: string): boolean {
      return this.roles.some((role) => user.roles.includes(role.id) && role.permissions.includes(permission));
    },
    /** The active users a picker offers under `filter` (see PickFilter). */
    eligible(filter: PickFilter = {}): User[] {
      const { roles, allRoles, permission, exclude, keep } = filter;
      return this.activeUsers.filter(
        (user) =>
          keep?.includes(user.id) ||
          (!exclude?.includes(user.id) &&
            (!roles || user.roles.some((role) => roles.includes(role))) &&
            (!allRoles || allRoles.every((role) => user.roles.includes(role))) &&
            (!permission || this.userCan(user, permission))),
      );
    },
    reset() {
      this.$reset();
    },
  },
});

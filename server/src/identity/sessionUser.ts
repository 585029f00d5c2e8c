/** The authenticated caller as routes and policies see it. */
export interface SessionUser {
  id: string;
  username: string;
  fullName: string;
  email: string;
  roles: string[];
  via: 'session' | 'token';
  sessionId?: string;
  csrf?: string;
  totpEnrolled: boolean;
  mustChangePassword: boolean;
}

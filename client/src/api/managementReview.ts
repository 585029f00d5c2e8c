import { request } from './request';
import type { LifecycleAction } from './types';

// Management reviews (ISO 13485:2016 5.6); every state rule is the server's (`actions`).
export const REVIEW_STATES = ['planned', 'recorded', 'approved'] as const;
export type ReviewStateName = (typeof REVIEW_STATES)[number];
export type ReviewAction = 'record_meeting' | 'approve' | 'complete_action';
export type ReviewAvailableAction = LifecycleAction<ReviewAction>;
type Bi = { zh: string; en: string };
export interface ReviewRow {
  id: string;
  number: string;
  title: string;
  periodFrom: string;
  periodTo: string;
  plannedDate: string;
  meetingDate: string | null;
  state: ReviewStateName;
  openActions: number;
  version: number;
  actions: ReviewAvailableAction[];
}
export interface Review extends ReviewRow {
  inputs: Array<{ key: string; clause: string; title: Bi; figures: Array<{ label: Bi; value: number }> }>;
  inputsLive: boolean;
  inputsAt: string | null;
  meeting: {
    date: string;
    attendees: Array<{ id: string; name: string }>;
    discussion: string;
    decisions: Array<{ output: string; text: string }>;
  } | null;
  reviewActions: Array<{
    id: string;
    description: string;
    output: string;
    owner: { id: string; name: string };
    due: string;
    status: string;
  }>;
  approval: { by: string; at: string } | null;
  stream: string;
}
export interface NewReview {
  title: string;
  periodFrom: string;
  periodTo: string;
  plannedDate: string;
}

export const managementReviewApi = {
  list: (state?: string) => request<ReviewRow[]>('/management-reviews', { query: state ? { state } : {} }),
  get: (id: string) => request<Review>(`/management-reviews/${encodeURIComponent(id)}`),
  create: (body: NewReview) => request<Review>('/management-reviews', { method: 'POST', body }),
  act: (id: string, action: ReviewAction, body: Record<string, unknown>) =>
    request<Review>(`/management-reviews/${encodeURIComponent(id)}/actions/${action}`, { method: 'POST', body }),
};

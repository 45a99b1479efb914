/** Inline stroke icons (16 px), so the bundle carries no icon font. */
import type { ReactNode } from 'react';

function Icon({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

/** Named icons. */
export const Icons = {
  overview: () => (
    <Icon>
      <path d="M3 3v18h18" />
      <path d="M7 15l4-5 3 3 5-6" />
    </Icon>
  ),
  traces: () => (
    <Icon>
      <path d="M4 6h10M8 12h12M6 18h8" />
    </Icon>
  ),
  sessions: () => (
    <Icon>
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12z" />
    </Icon>
  ),
  users: () => (
    <Icon>
      <circle cx="9" cy="8" r="4" />
      <path d="M2 21c0-4 3-6 7-6s7 2 7 6M17 11a3 3 0 1 0 0-6M22 21c0-3-1.5-5-4-5.6" />
    </Icon>
  ),
  models: () => (
    <Icon>
      <rect x="4" y="4" width="16" height="16" rx="3" />
      <path d="M9 9h6v6H9zM9 1v3M15 1v3M9 20v3M15 20v3M1 9h3M1 15h3M20 9h3M20 15h3" />
    </Icon>
  ),
  costs: () => (
    <Icon>
      <path d="M12 2v20M17 6H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6" />
    </Icon>
  ),
  datasets: () => (
    <Icon>
      <ellipse cx="12" cy="5" rx="8" ry="3" />
      <path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
    </Icon>
  ),
  experiments: () => (
    <Icon>
      <path d="M9 2h6M10 2v6L4 19a2 2 0 0 0 1.8 3h12.4a2 2 0 0 0 1.8-3L14 8V2M7 14h10" />
    </Icon>
  ),
  queues: () => (
    <Icon>
      <path d="M4 6h16M4 12h10M4 18h7M17 14l2 2 4-4" />
    </Icon>
  ),
  quality: () => (
    <Icon>
      <path d="M3 17l5-5 4 4 8-8M15 8h5v5" />
    </Icon>
  ),
  rules: () => (
    <Icon>
      <path d="M4 5h10M4 10h7M4 15h5M15 12l6 6M21 12l-6 6" />
    </Icon>
  ),
  drift: () => (
    <Icon>
      <path d="M3 17c3 0 4-10 7-10s3 6 5 6 3-4 6-4M3 21h18" />
    </Icon>
  ),
  explain: () => (
    <Icon>
      <path d="M4 20h4V10H4zM10 20h4V4h-4zM16 20h4v-7h-4z" />
    </Icon>
  ),
  gateway: () => (
    <Icon>
      <path d="M4 7h10M4 12h16M4 17h10M16 4l4 3-4 3M16 14l4 3-4 3" />
    </Icon>
  ),
  alerts: () => (
    <Icon>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </Icon>
  ),
  search: () => (
    <Icon size={14}>
      <circle cx="11" cy="11" r="7" />
      <path d="M20 20l-3.5-3.5" />
    </Icon>
  ),
  copy: () => (
    <Icon size={13}>
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
    </Icon>
  ),
  check: () => (
    <Icon size={13}>
      <path d="M4 12l5 5L20 6" />
    </Icon>
  ),
  chevronRight: () => (
    <Icon size={12}>
      <path d="M9 6l6 6-6 6" />
    </Icon>
  ),
  chevronDown: () => (
    <Icon size={12}>
      <path d="M6 9l6 6 6-6" />
    </Icon>
  ),
  sun: () => (
    <Icon size={14}>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
    </Icon>
  ),
  moon: () => (
    <Icon size={14}>
      <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
    </Icon>
  ),
  refresh: () => (
    <Icon size={14}>
      <path d="M21 12a9 9 0 1 1-2.6-6.4M21 3v6h-6" />
    </Icon>
  ),
  columns: () => (
    <Icon size={14}>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M9 4v16M15 4v16" />
    </Icon>
  ),
  live: () => (
    <Icon size={14}>
      <circle cx="12" cy="12" r="3" />
      <path d="M5.6 5.6a9 9 0 0 0 0 12.8M18.4 5.6a9 9 0 0 1 0 12.8" />
    </Icon>
  ),
  back: () => (
    <Icon size={14}>
      <path d="M15 18l-6-6 6-6" />
    </Icon>
  ),
  settings: () => (
    <Icon>
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
    </Icon>
  ),
  user: () => (
    <Icon size={14}>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4 3.6-7 8-7s8 3 8 7" />
    </Icon>
  ),
  plus: () => (
    <Icon size={14}>
      <path d="M12 5v14M5 12h14" />
    </Icon>
  ),
  warning: () => (
    <Icon size={14}>
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      <path d="M12 9v4M12 17h.01" />
    </Icon>
  ),
  lock: () => (
    <Icon size={14}>
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </Icon>
  ),
  logo: () => (
    <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="var(--accent)" />
      <circle cx="16" cy="16" r="7" fill="none" stroke="#fff" strokeWidth="3" />
      <circle cx="16" cy="16" r="2.5" fill="#fff" />
    </svg>
  ),
};

/**
 * Settings (`/settings/<section>`): the project, API keys, members and invites, users, redaction,
 * retention and erasure, LLM connections, evaluators, the audit log and security. Sections the caller's role cannot use are
 * shown locked with the role they need; Users is listed for instance administrators only.
 * Loaded on first visit (its own chunk), with its own styles.
 */
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty } from '../../components/States.tsx';
import { deniedReason } from '../../lib/roles.ts';
import type { Route } from '../../lib/url-state.ts';
import { useAuth } from '../account/auth-context.ts';
import { AuditSection } from './AuditSection.tsx';
import { ConnectionsSection } from './ConnectionsSection.tsx';
import { EvaluatorsSection } from './EvaluatorsSection.tsx';
import { KeysSection } from './KeysSection.tsx';
import { MembersSection } from './MembersSection.tsx';
import { ProjectSection } from './ProjectSection.tsx';
import { RedactionSection } from './RedactionSection.tsx';
import { RetentionSection } from './RetentionSection.tsx';
import { SecuritySection } from './SecuritySection.tsx';
import { Locked } from './SettingsPanel.tsx';
import { SECTIONS, type SectionId, sectionOf } from './sections.ts';
import { UsersSection } from './UsersSection.tsx';
import '../../styles/settings.css';

function SectionBody({ id }: { id: SectionId }) {
  switch (id) {
    case 'project':
      return <ProjectSection />;
    case 'keys':
      return <KeysSection />;
    case 'members':
      return <MembersSection />;
    case 'users':
      return <UsersSection />;
    case 'redaction':
      return <RedactionSection />;
    case 'retention':
      return <RetentionSection />;
    case 'audit':
      return <AuditSection />;
    case 'security':
      return <SecuritySection />;
    case 'connections':
      return <ConnectionsSection />;
    case 'evaluators':
      return <EvaluatorsSection />;
  }
}

/** The settings page. */
export function SettingsPage({ route }: { route: Route }) {
  const { standing, project, projectId } = useAuth();
  const section = sectionOf(route.id);
  const denied = section ? deniedReason(standing, section.need) : undefined;
  return (
    <>
      <PageHeader
        title={
          <>
            Settings
            <span className="faint" style={{ fontWeight: 400 }}>
              {section ? `· ${section.label}` : ''}
            </span>
          </>
        }
      >
        <span className="chip" title="The project these settings apply to (switch it in the sidebar)">
          {project?.name ?? projectId}
        </span>
      </PageHeader>
      <div className="content settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          {SECTIONS.filter((s) => !s.isHiddenWithoutNeed || !deniedReason(standing, s.need)).map((s) => {
            const reason = deniedReason(standing, s.need);
            return (
              <Link
                key={s.id}
                to={`/settings/${s.id}`}
                className={`nav-link${reason ? ' is-locked' : ''}`}
                aria-current={section?.id === s.id ? 'page' : undefined}
                title={reason}
              >
                <span>{s.label}</span>
                {reason && <Icons.lock />}
              </Link>
            );
          })}
        </nav>
        <div className="settings-body stack">
          {!section ? (
            <Empty title="No such settings section">
              <Link to="/settings">Go to the project settings</Link>
            </Empty>
          ) : denied ? (
            <Locked need={section.need} what={section.what} />
          ) : (
            <SectionBody key={section.id} id={section.id} />
          )}
        </div>
      </div>
    </>
  );
}

"use client";

import { Badge, BadgeList, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { RowAction, RowActions, Td, Tr } from "@/components/ui/table";
import { TablePanel } from "@/components/ui/table-panel";
import { ROLE_LABELS } from "@/shared/permissions";
import type { AdminOptions, AdminUser } from "./admin-data";
import { DateTime } from "./date-time";
import { SuccessNotice } from "./success-notice";
import { useRowDialogs } from "./use-row-dialogs";
import { CreateUserDialog, EditUserDialog, UserActiveDialog } from "./user-dialogs";

export interface UsersPanelProps {
  users: AdminUser[];
  options: AdminOptions;
  /** the signed-in admin, who may not disable or demote themself */
  currentUserId: string;
}

/** Console users: role, facilities (site managers), status and last sign-in. */
export function UsersPanel({ users, options, currentUserId }: UsersPanelProps) {
  const { creating, startCreating, cancelCreating, finishCreating, created, dismissCreated, editing, setEditing, toggling, setToggling } =
    useRowDialogs<AdminUser>();

  return (
    <>
      {created ? (
        <SuccessNotice onDismiss={dismissCreated}>
          <span>
            <span className="font-semibold">{created}</span> can now sign in with the initial password you set. Share it with them
            over a separate channel.
          </span>
        </SuccessNotice>
      ) : null}
      <TablePanel
        headingId="users-heading"
        title="Console users"
        description="Who can sign in to the console, and with which role. Changes apply from the user's next request; a disabled user is signed out at once."
        actions={<Button onClick={startCreating}>New user</Button>}
        rows={users}
        caption="Console users"
        columns={["User", "Role", "Facilities", "Status", "Last sign-in", "Created"]}
        actionsColumn="Actions"
        empty={<EmptyState className="m-4" title="No users" description="Create the first console user." />}
        renderRow={(user) => {
          const self = user.id === currentUserId;
          return (
            <Tr key={user.id} data-testid="user-row" data-email={user.email} className={user.active ? "hover:bg-slate-50" : "bg-slate-50/60"}>
              <Td className="min-w-48">
                <span className="flex items-center gap-2 font-medium text-slate-900">
                  {user.name}
                  {self ? <Badge tone="info">You</Badge> : null}
                </span>
                <span className="block text-xs text-slate-600">{user.email}</span>
              </Td>
              <Td className="whitespace-nowrap">
                <Badge tone={user.role === "ADMIN" ? "warning" : user.role === "SUPPORT" ? "neutral" : "info"}>{ROLE_LABELS[user.role]}</Badge>
              </Td>
              <Td className="min-w-36">
                {user.role !== "SITE_MANAGER" ? (
                  <span className="text-slate-600">All</span>
                ) : user.facilities.length === 0 ? (
                  <span className="text-amber-900">None assigned</span>
                ) : (
                  <BadgeList items={user.facilities.map((f) => ({ id: f.id, label: f.code }))} badgeClassName="font-mono" />
                )}
              </Td>
              <Td>
                <StatusBadge status={user.active ? "active" : "disabled"} />
              </Td>
              <Td>
                <DateTime value={user.lastLoginAt} />
              </Td>
              <Td>
                <DateTime value={user.createdAt} />
              </Td>
              <RowActions>
                <RowAction subject={user.email} onClick={() => setEditing(user)}>
                  Edit
                </RowAction>
                <RowAction
                  subject={user.email}
                  variant={user.active ? "ghost" : "secondary"}
                  onClick={() => setToggling(user)}
                  disabled={self && user.active}
                  title={self && user.active ? "You cannot disable yourself" : undefined}
                >
                  {user.active ? "Disable" : "Enable"}
                </RowAction>
              </RowActions>
            </Tr>
          );
        }}
      />

      {creating ? <CreateUserDialog options={options} onClose={cancelCreating} onCreated={finishCreating} /> : null}
      {editing ? <EditUserDialog user={editing} options={options} self={editing.id === currentUserId} onClose={() => setEditing(null)} /> : null}
      {toggling ? <UserActiveDialog user={toggling} onClose={() => setToggling(null)} /> : null}
    </>
  );
}

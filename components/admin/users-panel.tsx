"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ROLE_LABELS } from "@/server/auth/permissions";
import type { AdminOptions, AdminUser } from "./admin-data";
import { DateTime } from "./date-time";
import { SuccessNotice } from "./success-notice";
import { CreateUserDialog, EditUserDialog, UserActiveDialog } from "./user-dialogs";

export interface UsersPanelProps {
  users: AdminUser[];
  options: AdminOptions;
  /** the signed-in admin, who may not disable or demote themself */
  currentUserId: string;
}

/** Console users: role, facilities (site managers), status and last sign-in. */
export function UsersPanel({ users, options, currentUserId }: UsersPanelProps) {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [toggling, setToggling] = useState<AdminUser | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <>
      {created ? (
        <SuccessNotice onDismiss={() => setCreated(null)}>
          <span>
            <span className="font-semibold">{created}</span> can now sign in with the initial password you set. Share it with them
            over a separate channel.
          </span>
        </SuccessNotice>
      ) : null}
      <Card aria-labelledby="users-heading">
        <CardHeader
          id="users-heading"
          title="Console users"
          description={
            <span className="block max-w-2xl">
              Who can sign in to the console, and with which role. Changes apply from the user&apos;s next request; a disabled user is
              signed out at once.
            </span>
          }
          actions={<Button onClick={() => setCreating(true)}>New user</Button>}
        />
        {users.length === 0 ? (
          <EmptyState className="m-4" title="No users" description="Create the first console user." />
        ) : (
          <Table caption="Console users">
            <THead>
              <Tr>
                <Th>User</Th>
                <Th>Role</Th>
                <Th>Facilities</Th>
                <Th>Status</Th>
                <Th>Last sign-in</Th>
                <Th>Created</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {users.map((user) => {
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
                        <div className="flex flex-wrap gap-1">
                          {user.facilities.map((f) => (
                            <Badge key={f.id} className="font-mono">
                              {f.code}
                            </Badge>
                          ))}
                        </div>
                      )}
                    </Td>
                    <Td>{user.active ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Disabled</Badge>}</Td>
                    <Td>
                      <DateTime value={user.lastLoginAt} />
                    </Td>
                    <Td>
                      <DateTime value={user.createdAt} />
                    </Td>
                    <Td className="text-right whitespace-nowrap">
                      <div className="flex justify-end gap-1.5">
                        <Button size="sm" variant="secondary" onClick={() => setEditing(user)}>
                          Edit<span className="sr-only"> {user.email}</span>
                        </Button>
                        <Button
                          size="sm"
                          variant={user.active ? "ghost" : "secondary"}
                          onClick={() => setToggling(user)}
                          disabled={self && user.active}
                          title={self && user.active ? "You cannot disable yourself" : undefined}
                        >
                          {user.active ? "Disable" : "Enable"}
                          <span className="sr-only"> {user.email}</span>
                        </Button>
                      </div>
                    </Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      {creating ? (
        <CreateUserDialog
          options={options}
          onClose={() => setCreating(false)}
          onCreated={(email) => {
            setCreating(false);
            setCreated(email);
          }}
        />
      ) : null}
      {editing ? <EditUserDialog user={editing} options={options} self={editing.id === currentUserId} onClose={() => setEditing(null)} /> : null}
      {toggling ? <UserActiveDialog user={toggling} onClose={() => setToggling(null)} /> : null}
    </>
  );
}

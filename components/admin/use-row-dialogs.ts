"use client";

import { useState } from "react";

/**
 * Which dialog of a list panel is open — creating a row, editing one, switching one
 * on or off — and what was just created, for the notice above the list.
 */
export function useRowDialogs<TRow>() {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<TRow | null>(null);
  const [toggling, setToggling] = useState<TRow | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  return {
    creating,
    startCreating: () => setCreating(true),
    cancelCreating: () => setCreating(false),
    /** closes the create dialog and remembers what it created */
    finishCreating: (name: string) => {
      setCreating(false);
      setCreated(name);
    },
    created,
    dismissCreated: () => setCreated(null),
    editing,
    setEditing,
    toggling,
    setToggling,
  };
}

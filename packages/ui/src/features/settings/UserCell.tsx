/** The first cell of a row of people (users, members): the username, marked when it is the caller. */

/** The cell. */
export function UserCell({ username, isSelf }: { username: string; isSelf: boolean }) {
  return (
    <td>
      {username}
      {isSelf && <span className="faint"> (you)</span>}
    </td>
  );
}

/** Constant JSON from a resource route: the most any JSON route of the stack can do. */
export function loader() {
  return Response.json({
    user: {
      id: "3a123420-f41e-4bd8-af15-7c4b8106ed66",
      discordId: "158868545994756096",
      username: "nova",
      displayName: "Nova Quinn",
    },
  });
}

#!/usr/bin/env bash
# Grants the bot's identity the Microsoft Graph application permissions of the README's least-privilege
# table (the admin consent for a managed identity: managed identities have no consent prompt).
# Run as a Privileged Role Administrator (or Global Administrator) after `atk provision`:
#   az login --tenant <tenant id>
#   infra/grant-graph-permissions.sh <BOT_PRINCIPAL_ID from env/.env.dev>
# Idempotent: a permission already granted is skipped. Remove a line below to withhold one
# (docs/deploy.md#permissions says what degrades without it).
set -euo pipefail

principal_id="${1:?usage: $0 <BOT_PRINCIPAL_ID: object id of the bot identity service principal>}"
permissions=(
  UserAuthMethod-TAP.ReadWrite.All
  UserAuthenticationMethod.ReadWrite.All
  Policy.Read.All
  User.Read.All
  GroupMember.Read.All
  RoleManagement.Read.Directory
  DeviceManagementManagedDevices.Read.All
  Application.Read.All
  AuditLog.Read.All
)

graph_sp=$(az rest --method GET --url "https://graph.microsoft.com/v1.0/servicePrincipals?\$filter=appId eq '00000003-0000-0000-c000-000000000000'&\$select=id" --query 'value[0].id' -o tsv)
granted=$(az rest --method GET --url "https://graph.microsoft.com/v1.0/servicePrincipals/${principal_id}/appRoleAssignments" --query 'value[].appRoleId' -o tsv)

for permission in "${permissions[@]}"; do
  role_id=$(az rest --method GET --url "https://graph.microsoft.com/v1.0/servicePrincipals/${graph_sp}?\$select=appRoles" \
    --query "appRoles[?value=='${permission}' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  if [ -z "$role_id" ]; then echo "unknown permission: ${permission}" >&2; exit 1; fi
  if grep -q "$role_id" <<<"$granted"; then echo "already granted: ${permission}"; continue; fi
  az rest --method POST --url "https://graph.microsoft.com/v1.0/servicePrincipals/${principal_id}/appRoleAssignments" \
    --headers 'Content-Type=application/json' \
    --body "{\"principalId\":\"${principal_id}\",\"resourceId\":\"${graph_sp}\",\"appRoleId\":\"${role_id}\"}" >/dev/null
  echo "granted: ${permission}"
done

/**
 * The one schema for raw CloudTrail records: a minimal TypeScript interface, mirrored by the
 * DuckDB `columns=` type used by every reader (letting DuckDB guess drops fields absent from
 * its sample). Add a field in both places.
 */

/** A CloudTrail record, as far as shadowscan reads it. */
export interface CloudTrailRecord {
  eventVersion?: string;
  /** ISO 8601; parsed by the loader, which counts a record whose time does not parse as skipped. */
  eventTime?: string;
  /** eventTime as some log shippers rename it; read only when eventTime is absent. */
  '@timestamp'?: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: unknown;
  requestID?: string;
  eventID?: string;
  readOnly?: boolean | string;
  eventType?: string;
  managementEvent?: boolean | string;
  recipientAccountId?: string;
  eventCategory?: string;
  vpcEndpointId?: string;
  sessionCredentialFromConsole?: string;
  tlsDetails?: { tlsVersion?: string; cipherSuite?: string; clientProvidedHostHeader?: string };
  userIdentity?: {
    type?: string;
    principalId?: string;
    arn?: string;
    accountId?: string;
    accessKeyId?: string;
    userName?: string;
    invokedBy?: string;
    identityProvider?: string;
    sessionContext?: {
      sessionIssuer?: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
      webIdFederationData?: { federatedProvider?: string; attributes?: unknown };
      attributes?: { creationDate?: string; mfaAuthenticated?: string };
      sourceIdentity?: string;
      ec2RoleDelivery?: string;
    };
  };
}

/** DuckDB type of one record; keep in step with CloudTrailRecord. */
export const RECORD_TYPE = `STRUCT(
  eventVersion VARCHAR, eventTime VARCHAR, "@timestamp" VARCHAR, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR,
  sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR, errorMessage VARCHAR,
  requestParameters JSON, responseElements JSON, additionalEventData JSON,
  requestID VARCHAR, eventID VARCHAR, readOnly VARCHAR, eventType VARCHAR, managementEvent VARCHAR,
  recipientAccountId VARCHAR, eventCategory VARCHAR, vpcEndpointId VARCHAR, sessionCredentialFromConsole VARCHAR,
  tlsDetails STRUCT(tlsVersion VARCHAR, cipherSuite VARCHAR, clientProvidedHostHeader VARCHAR),
  userIdentity STRUCT(
    "type" VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, accessKeyId VARCHAR, userName VARCHAR,
    invokedBy VARCHAR, identityProvider VARCHAR,
    sessionContext STRUCT(
      sessionIssuer STRUCT("type" VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR),
      webIdFederationData STRUCT(federatedProvider VARCHAR, attributes JSON),
      attributes STRUCT(creationDate VARCHAR, mfaAuthenticated VARCHAR),
      sourceIdentity VARCHAR, ec2RoleDelivery VARCHAR
    )
  )
)`.replace(/\s+/g, ' ');

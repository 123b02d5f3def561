export { SERVER_URL, freshDatabase, type TestDatabase } from '@chartbridge/db/testing';

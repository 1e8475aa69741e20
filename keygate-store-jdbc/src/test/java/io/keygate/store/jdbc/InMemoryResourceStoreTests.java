package io.keygate.store.jdbc;

import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceStore;
import io.keygate.testkit.ResourceStoreContractTests;

/** The resource store contract on the in-memory store. */
class InMemoryResourceStoreTests extends ResourceStoreContractTests {
    @Override
    protected ResourceStore newStore() {
        return new InMemoryResourceStore();
    }
}

package io.keygate.identity.workload;

import io.keygate.crypto.KeyringService;
import io.keygate.crypto.MasterKey;
import io.keygate.error.ErrorCode;
import io.keygate.error.FieldProblem;
import io.keygate.error.ServiceException;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WorkloadIdentityService}: AWS validation rules with the offending field named, conflict and
 * not-found errors, replace semantics of update, and paging with opaque tokens.
 */
class WorkloadIdentityServiceTests {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private WorkloadIdentityService service;

    @BeforeEach
    void createService() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyringService keyrings = new KeyringService(store, CLOCK);
        keyrings.unseal(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(key), "test"));
        service = new WorkloadIdentityService(new ResourceRepository<>(store, keyrings, CLOCK,
                WorkloadIdentityService.KIND, WorkloadIdentity.class, "workload identity"), CLOCK);
    }

    private static ServiceException failure(ErrorCode code, Executable call) {
        ServiceException[] caught = new ServiceException[1];
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(ServiceException.class, e -> caught[0] = e);
        assertThat(caught[0].code()).isEqualTo(code);
        return caught[0];
    }

    private static List<String> fieldNames(ServiceException e) {
        return e.fieldList().stream().map(FieldProblem::name).toList();
    }

    @Test
    void createWhenValidThenStoredAndReadBack() {
        WorkloadIdentity created = service.create("agent-1", List.of("https://app.example/cb"), Map.of("team", "a"));

        WorkloadIdentity read = service.get("agent-1");

        assertThat(read.name()).isEqualTo("agent-1");
        assertThat(read.allowedResourceOauth2ReturnUrls()).containsExactly("https://app.example/cb");
        assertThat(read.tags()).containsEntry("team", "a");
        assertThat(read.createdTime()).isEqualTo(CLOCK.instant()).isEqualTo(created.createdTime());
    }

    @Test
    void createWhenNameTooShortThenValidationNamingName() {
        ServiceException e = failure(ErrorCode.VALIDATION, () -> service.create("ab", null, null));
        assertThat(fieldNames(e)).containsExactly("name");
        assertThat(e.getMessage()).contains("3 to 255");
        assertThat(store.find(WorkloadIdentityService.KIND, "ab")).isEmpty();
    }

    @Test
    void createWhenNameTooLongThenValidationNamingName() {
        ServiceException e = failure(ErrorCode.VALIDATION, () -> service.create("a".repeat(256), null, null));
        assertThat(fieldNames(e)).containsExactly("name");
    }

    @Test
    void createWhenNameBreaksPatternThenValidationNamingName() {
        ServiceException e = failure(ErrorCode.VALIDATION, () -> service.create("bad name!", null, null));
        assertThat(fieldNames(e)).containsExactly("name");
        assertThat(e.getMessage()).contains("pattern");
    }

    @Test
    void createWhenNameAndReturnUrlBothInvalidThenBothReported() {
        ServiceException e = failure(ErrorCode.VALIDATION, () -> service.create("x", List.of("not a url"), null));
        assertThat(fieldNames(e)).containsExactly("name", "allowedResourceOauth2ReturnUrls[0]");
    }

    @Test
    void createWhenNameExistsThenConflictAndFirstKept() {
        service.create("agent-1", List.of("https://first.example/cb"), null);
        ServiceException e = failure(ErrorCode.CONFLICT, () -> service.create("agent-1", List.of("https://second.example/cb"), null));
        assertThat(e.getMessage()).contains("agent-1");
        assertThat(service.get("agent-1").allowedResourceOauth2ReturnUrls()).containsExactly("https://first.example/cb");
    }

    @Test
    void getWhenMissingThenNotFoundNamingIt() {
        ServiceException e = failure(ErrorCode.RESOURCE_NOT_FOUND, () -> service.get("missing-agent"));
        assertThat(e.getMessage()).contains("missing-agent");
    }

    @Test
    void updateWhenNewListGivenThenListReplaced() {
        service.create("agent-1", List.of("https://a.example/cb", "https://b.example/cb"), null);

        service.update("agent-1", List.of("https://c.example/cb"));

        assertThat(service.get("agent-1").allowedResourceOauth2ReturnUrls()).containsExactly("https://c.example/cb");
        assertThat(store.find(WorkloadIdentityService.KIND, "agent-1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void updateWhenMissingThenNotFound() {
        failure(ErrorCode.RESOURCE_NOT_FOUND, () -> service.update("missing-agent", List.of()));
    }

    @Test
    void deleteWhenExistingThenGone() {
        service.create("agent-1", null, null);
        service.delete("agent-1");
        failure(ErrorCode.RESOURCE_NOT_FOUND, () -> service.get("agent-1"));
        failure(ErrorCode.RESOURCE_NOT_FOUND, () -> service.delete("agent-1"));
    }

    @Test
    void listWhenMoreThanOnePageThenPagesCoverAllWithoutDuplicates() {
        for (String name : List.of("agent-e", "agent-c", "agent-a", "agent-d", "agent-b")) {
            service.create(name, null, null);
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            Page<WorkloadIdentity> page = service.list(token, 2);
            page.items().forEach(identity -> seen.add(identity.name()));
            pageSizes.add(page.items().size());
            token = page.nextToken();
        } while (token != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactly("agent-a", "agent-b", "agent-c", "agent-d", "agent-e");
    }

    @Test
    void listWhenExactlyOnePageThenNoNextToken() {
        service.create("agent-a", null, null);
        service.create("agent-b", null, null);
        assertThat(service.list(null, 2).nextToken()).isNull();
    }

    @Test
    void listWhenMaxResultsAboveTwentyThenValidationNamingMaxResults() {
        ServiceException e = failure(ErrorCode.VALIDATION, () -> service.list(null, 21));
        assertThat(fieldNames(e)).containsExactly("maxResults");
        failure(ErrorCode.VALIDATION, () -> service.list(null, 0));
    }

    @Test
    void listWhenNextTokenIsGarbageThenValidationNamingNextToken() {
        service.create("agent-a", null, null);
        ServiceException e = failure(ErrorCode.VALIDATION, () -> service.list("!!not-a-token!!", 2));
        assertThat(fieldNames(e)).containsExactly("nextToken");
        ServiceException wellFormed = failure(ErrorCode.VALIDATION,
                () -> service.list(Base64.getUrlEncoder().encodeToString("before:agent-a".getBytes()), 2));
        assertThat(fieldNames(wellFormed)).containsExactly("nextToken");
    }
}

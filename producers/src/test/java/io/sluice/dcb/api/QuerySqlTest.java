package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.ReadOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuerySqlTest {

    private static final String SELECT = "SELECT position, type, tags, data FROM public.events";

    @Test
    void aQueryMatchingEverythingHasNoWhere() {
        assertThat(QuerySql.select("public.events", Query.all(), ReadOptions.forwards()))
                .isEqualTo(new QuerySql.Statement(SELECT + " ORDER BY position", List.of()));
        assertThat(QuerySql.select("public.events", Query.of(QueryItem.tags("t"), QueryItem.of(List.of(), List.of())),
                ReadOptions.forwards()).sql()).isEqualTo(SELECT + " ORDER BY position");
    }

    @Test
    void itemsAreOredAndTheirTypesAndTagsAnded() {
        QuerySql.Statement statement = QuerySql.select("public.events",
                Query.of(QueryItem.of(List.of("B", "A"), List.of("t:2", "t:1")), QueryItem.types("C"), QueryItem.tags("u")),
                ReadOptions.forwards());

        assertThat(statement.sql()).isEqualTo(SELECT + " WHERE ((type = ANY(?) AND tags @> ?) OR type = ANY(?) OR tags @> ?)"
                + " ORDER BY position");
        assertThat(statement.parameters()).containsExactly(new String[] {"A", "B"}, new String[] {"t:1", "t:2"},
                new String[] {"C"}, new String[] {"u"});
    }

    @Test
    void optionsBecomeABoundAnOrderAndALimit() {
        QuerySql.Statement bounded = QuerySql.select("public.events", Query.of(QueryItem.types("A")),
                ReadOptions.forwards().withFrom(5).withLimit(2));
        assertThat(bounded.sql()).isEqualTo(SELECT + " WHERE type = ANY(?) AND position >= ? ORDER BY position LIMIT ?");
        assertThat(bounded.parameters()).containsExactly(new String[] {"A"}, 5L, 2);
        assertThat(QuerySql.select("public.events", Query.all(), ReadOptions.forwards().withFrom(9).inReverse()))
                .isEqualTo(new QuerySql.Statement(SELECT + " WHERE position <= ? ORDER BY position DESC", List.of(9L)));
    }
}

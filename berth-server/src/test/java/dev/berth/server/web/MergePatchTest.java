package dev.berth.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MergePatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void keepsMembersThePatchDoesNotName() throws Exception {
    JsonNode target = json("{'image':'a:1','command':['sleep','60'],'env':{'A':'1'}}");
    assertThat(MergePatch.apply(target, json("{'image':'a:2'}")))
        .isEqualTo(json("{'image':'a:2','command':['sleep','60'],'env':{'A':'1'}}"));
  }

  @Test
  void nullRemovesAMemberObjectsMergeAndArraysReplace() throws Exception {
    JsonNode target = json("{'command':['sleep','60'],'env':{'A':'1','B':'2'},'args':['x']}");
    JsonNode patch = json("{'command':['true'],'env':{'B':null,'C':'3'},'args':null}");
    assertThat(MergePatch.apply(target, patch))
        .isEqualTo(json("{'command':['true'],'env':{'A':'1','C':'3'}}"));
  }

  @Test
  void leavesItsArgumentsUnchanged() throws Exception {
    JsonNode target = json("{'env':{'A':'1'}}");
    MergePatch.apply(target, json("{'env':{'A':null}}"));
    assertThat(target).isEqualTo(json("{'env':{'A':'1'}}"));
  }

  @Test
  void anRfc7396ExampleGivesItsResult() throws Exception {
    JsonNode target =
        json(
            "{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},'tags':['example','sample'],'content':'This will be unchanged'}");
    JsonNode patch =
        json(
            "{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}");
    assertThat(MergePatch.apply(target, patch))
        .isEqualTo(
            json(
                "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
  }
}

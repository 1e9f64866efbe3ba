using Provenance.Formats.Cbor;
using Provenance.Signer.C2pa;
using Provenance.Formats.Jumbf;

namespace Provenance.Signer.Verification;

public static partial class C2paVerifier
{
    private static ManifestView BuildView(StoreContext context, JumbfSuperBox manifest, ParsedClaim claim, SignatureView? signature)
    {
        var assertionStore = manifest.SuperBoxes.FirstOrDefault(b => b.TypeId == JumbfTypes.AssertionStore);
        var assertions = assertionStore?.SuperBoxes.Select(b => b.Label ?? "").ToList() ?? [];
        var actions = new List<ActionView>();
        var softBindings = new List<SoftBindingView>();
        var ingredients = new List<IngredientView>();
        foreach (var box in assertionStore?.SuperBoxes ?? [])
        {
            var baseLabel = BaseLabel(box.Label ?? "");
            try
            {
                if (baseLabel is C2paLabels.ActionsV2 or C2paLabels.Actions && StoreContext.CborContent(box, out _) is CborMap actionsMap
                    && actionsMap.GetValueOrDefault("actions") is CborArray list)
                {
                    foreach (var item in list.OfType<CborMap>())
                        actions.Add(new ActionView(Text(item, "action") ?? "", Text(item, "digitalSourceType"), Agent(item.GetValueOrDefault("softwareAgent")), Text(item, "when")));
                }
                else if (baseLabel == C2paLabels.SoftBinding && StoreContext.CborContent(box, out _) is CborMap soft)
                    softBindings.Add(new SoftBindingView(Text(soft, "alg") ?? "", (soft.GetValueOrDefault("blocks") as CborArray)?.Count ?? 0));
                else if (baseLabel.StartsWith("c2pa.ingredient", StringComparison.Ordinal) && StoreContext.CborContent(box, out _) is CborMap ing)
                {
                    var active = ing.GetValueOrDefault("activeManifest") ?? ing.GetValueOrDefault("c2pa_manifest");
                    ingredients.Add(new IngredientView(Text(ing, "dc:title"), Text(ing, "dc:format"), Text(ing, "relationship"),
                        (active as CborMap)?.GetValueOrDefault("url") is CborTextString u ? u.Value : null));
                }
            }
            catch (CborException)
            {
                // the view shows what can be read; the statuses already say what is wrong
            }
        }
        return new ManifestView
        {
            Label = manifest.Label ?? "",
            ClaimVersion = claim.Version,
            Title = Text(claim.Map, "dc:title"),
            InstanceId = Text(claim.Map, "instanceID"),
            ClaimGenerator = Generators(claim),
            Assertions = assertions,
            Actions = actions,
            SoftBindings = softBindings,
            Ingredients = ingredients,
            Signature = signature,
        };
    }

    private static List<ClaimGeneratorView> Generators(ParsedClaim claim)
    {
        var result = new List<ClaimGeneratorView>();
        var info = claim.Map.GetValueOrDefault("claim_generator_info");
        foreach (var item in info switch { CborMap one => [one], CborArray many => many.OfType<CborMap>(), _ => [] })
            if (Text(item, "name") is { } name) result.Add(new ClaimGeneratorView(name, Text(item, "version")));
        if (result.Count == 0 && Text(claim.Map, "claim_generator") is { } legacy) result.Add(new ClaimGeneratorView(legacy, null));
        return result;
    }

    private static string? Agent(CborValue? value) => value switch
    {
        CborTextString text => text.Value,
        CborMap map when Text(map, "name") is { } name => Text(map, "version") is { } v ? $"{name} {v}" : name,
        _ => null,
    };

    private static string? Text(CborMap map, string key) => map.GetValueOrDefault(key) is CborTextString t ? t.Value : null;
}

// Applies hyworld's manifest (the manifest.json beside an imported FBX or texture) on import:
//
// * models: normals/tangents from the file, no generated lightmap UVs when the asset carries
//   uv1 (it arrives as Unity's uv2), file scale 1 (the FBX is in meters, UnitScaleFactor 100);
//   collider meshes named in nodes[].collision become BoxColliders (box) or MeshColliders (convex,
//   trimesh), lose their renderer and move under their object; LOD transition heights come
//   from lod_screen_sizes (Unity builds the LODGroup itself from the <object>_LODn names);
// * textures: sRGB only for base color, normal maps as normal maps, mask maps linear;
// * materials: the base color, normal map and the mask map made from the ORM texture are
//   assigned to whichever of the Built-in Standard, URP Lit and HDRP Lit properties exist.
//
// Handedness: the FBX is right-handed (+Y up, front +Z); Unity's FBX importer converts it to
// Unity's left-handed frame itself (negating X and flipping the winding), so nothing is done here.
using System.Collections.Generic;
using System.IO;
using UnityEditor;
using UnityEngine;

namespace Hyworld.Editor
{
    public class HyworldPostprocessor : AssetPostprocessor
    {
        void OnPreprocessModel()
        {
            var manifest = Manifest.ForAsset(assetPath);
            if (manifest == null || !(assetImporter is ModelImporter importer)) return;
            bool tangents = true;
            foreach (var n in manifest.nodes) tangents &= n.has_tangents || n.lods == null || n.lods.Length == 0;
            importer.useFileScale = true;
            importer.globalScale = 1f;
            importer.bakeAxisConversion = false;
            importer.importNormals = ModelImporterNormals.Import;
            importer.importTangents = tangents ? ModelImporterTangents.Import : ModelImporterTangents.CalculateMikk;
            importer.generateSecondaryUV = !manifest.HasUv1();
            importer.meshCompression = ModelImporterMeshCompression.Off;
            importer.importAnimation = false;
            importer.importCameras = false;
            importer.importLights = false;
            importer.addCollider = false;  // colliders come from the manifest's collision meshes
            importer.materialImportMode = ModelImporterMaterialImportMode.ImportViaMaterialDescription;
        }

        void OnPreprocessTexture()
        {
            var manifest = Manifest.ForAsset(assetPath);
            if (manifest == null || !(assetImporter is TextureImporter importer)) return;
            var name = Path.GetFileNameWithoutExtension(assetPath);
            var texture = manifest.Texture(name);
            if (texture != null)
            {
                importer.sRGBTexture = texture.srgb;
                if (texture.role == "normal") importer.textureType = TextureImporterType.NormalMap;
                importer.wrapMode = TextureWrapMode.Clamp;  // baked atlases
                return;
            }
            foreach (var m in manifest.materials)
            {
                if (!string.IsNullOrEmpty(m.orm_texture) && Manifest.MaskMapName(m.orm_texture) == name)
                {
                    importer.sRGBTexture = false;
                    importer.wrapMode = TextureWrapMode.Clamp;
                }
            }
        }

        void OnPostprocessMaterial(Material material)
        {
            var manifest = Manifest.ForAsset(assetPath);
            var entry = manifest?.Material(material.name);
            if (entry == null) return;
            var folder = Path.GetDirectoryName(assetPath);
            var baseColor = Load(folder, entry.base_color_texture);
            var normal = Load(folder, entry.normal_texture);
            var mask = string.IsNullOrEmpty(entry.orm_texture) ? null : Load(folder, Manifest.MaskMapName(entry.orm_texture));
            if (entry.base_color_factor != null && entry.base_color_factor.Length == 4)
            {
                var c = entry.base_color_factor;
                var color = new Color(c[0], c[1], c[2], c[3]).gamma;  // the manifest's factor is linear
                Set(material, "_BaseColor", color);
                Set(material, "_Color", color);
            }
            Set(material, "_BaseMap", baseColor);
            Set(material, "_BaseColorMap", baseColor);
            Set(material, "_MainTex", baseColor);
            if (normal != null)
            {
                Set(material, "_BumpMap", normal);
                Set(material, "_NormalMap", normal);
                Set(material, "_BumpScale", entry.normal_scale);
                material.EnableKeyword("_NORMALMAP");
            }
            if (mask != null)
            {
                Set(material, "_MetallicGlossMap", mask);  // Built-in Standard, URP Lit: R metallic, A smoothness
                Set(material, "_OcclusionMap", mask);      // reads G
                Set(material, "_MaskMap", mask);           // HDRP Lit: the same layout
                Set(material, "_Metallic", 1f);
                Set(material, "_GlossMapScale", 1f);
                Set(material, "_Smoothness", 1f);
                material.EnableKeyword("_METALLICSPECGLOSSMAP");
                material.EnableKeyword("_METALLICGLOSSMAP");
                material.EnableKeyword("_OCCLUSIONMAP");
                material.EnableKeyword("_MASKMAP");
            }
            else
            {
                Set(material, "_Metallic", entry.metallic_factor);
                Set(material, "_Glossiness", 1f - entry.roughness_factor);
                Set(material, "_Smoothness", 1f - entry.roughness_factor);
            }
            if (entry.double_sided)
            {
                Set(material, "_Cull", 0f);
                Set(material, "_CullMode", 0f);
                material.doubleSidedGI = true;
            }
        }

        void OnPostprocessModel(GameObject root)
        {
            var manifest = Manifest.ForAsset(assetPath);
            if (manifest == null) return;
            var byName = new Dictionary<string, Transform>();
            foreach (var t in root.GetComponentsInChildren<Transform>(true))
                if (!byName.ContainsKey(t.name)) byName[t.name] = t;
            foreach (var node in manifest.nodes)
            {
                if (string.IsNullOrEmpty(node.object_name) || !byName.TryGetValue(node.object_name, out var owner))
                {
                    Debug.LogWarning($"hyworld: object {node.object_name} not found in {assetPath}");
                    continue;
                }
                AddColliders(node, owner, byName);
                SetLodTransitions(node, owner);
            }
        }

        static void AddColliders(ManifestNode node, Transform owner, Dictionary<string, Transform> byName)
        {
            if (node.collision == null) return;
            var done = new HashSet<string>();
            foreach (var shape in node.collision)
            {
                // merged shapes share one mesh: one collider for it
                if (string.IsNullOrEmpty(shape.mesh) || !done.Add(shape.mesh)) continue;
                if (!byName.TryGetValue(shape.mesh, out var t)) continue;
                var filter = t.GetComponent<MeshFilter>();
                var mesh = filter != null ? filter.sharedMesh : null;
                if (mesh == null) continue;
                if (shape.kind == "box")
                {
                    var box = t.gameObject.AddComponent<BoxCollider>();
                    box.center = mesh.bounds.center;
                    box.size = mesh.bounds.size;
                }
                else
                {
                    var collider = t.gameObject.AddComponent<MeshCollider>();
                    collider.sharedMesh = mesh;
                    collider.convex = shape.kind == "convex";  // trimesh stays concave (static only)
                }
                var renderer = t.GetComponent<MeshRenderer>();
                if (renderer != null) Object.DestroyImmediate(renderer);
                Object.DestroyImmediate(filter);
                t.SetParent(owner, true);  // the FBX keeps colliders beside their object (FBX LOD groups own all children)
            }
        }

        static void SetLodTransitions(ManifestNode node, Transform owner)
        {
            var group = owner.GetComponent<LODGroup>();
            var sizes = node.lod_screen_sizes;
            if (group == null || sizes == null) return;
            var lods = group.GetLODs();
            if (sizes.Length < lods.Length) return;
            float previous = 1f;
            for (int i = 0; i < lods.Length; i++)
            {
                // ours: screen-height fraction below which level i gives way to i+1 (the last: cull)
                lods[i].screenRelativeTransitionHeight = Mathf.Min(sizes[i], previous - 1e-4f);
                previous = lods[i].screenRelativeTransitionHeight;
            }
            group.SetLODs(lods);
        }

        static Texture Load(string folder, string textureName)
        {
            if (string.IsNullOrEmpty(textureName)) return null;
            return AssetDatabase.LoadAssetAtPath<Texture>(folder + "/" + textureName + ".png");
        }

        static void Set(Material m, string property, Texture value)
        {
            if (value != null && m.HasProperty(property)) m.SetTexture(property, value);
        }

        static void Set(Material m, string property, float value)
        {
            if (m.HasProperty(property)) m.SetFloat(property, value);
        }

        static void Set(Material m, string property, Color value)
        {
            if (m.HasProperty(property)) m.SetColor(property, value);
        }
    }
}
